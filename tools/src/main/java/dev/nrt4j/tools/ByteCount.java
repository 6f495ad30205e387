package dev.nrt4j.tools;

/** Byte counts for people: binary units, exact where the count is a whole number of them. */
final class ByteCount {
    private static final String[] UNITS = {"B", "KiB", "MiB", "GiB", "TiB", "PiB"};

    private ByteCount() {}

    /** E.g. {@code 34359738368 -> "32 GiB"}, {@code 1536 -> "1.5 KiB"}. */
    static String format(long bytes) {
        if (bytes < 1024) {
            return bytes + " B";
        }
        int unit = 0;
        double value = bytes;
        while (value >= 1024 && unit < UNITS.length - 1) {
            value /= 1024;
            unit++;
        }
        String number = value == Math.rint(value)
                ? String.valueOf((long) value)
                : String.format(java.util.Locale.ROOT, "%.1f", value);
        return number + " " + UNITS[unit];
    }
}
