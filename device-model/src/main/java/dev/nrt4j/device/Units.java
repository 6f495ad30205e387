package dev.nrt4j.device;

/** Byte multiples used to write the catalog's figures as the sources state them. */
final class Units {
    static final long GIB = 1L << 30;
    static final long GB = 1_000_000_000L;

    private Units() {}
}
