package dev.nrt4j.tools;

import picocli.CommandLine.IVersionProvider;

/** The version line of {@code nrt4j --version}: the jar's version and the JVM it runs on. */
public final class Nrt4jVersion implements IVersionProvider {
    /** This nrt4j's version: the jar's, or {@code development} when run from classes. */
    public static String version() {
        String v = Nrt4jVersion.class.getPackage().getImplementationVersion();
        return v == null ? "development" : v;
    }

    @Override
    public String[] getVersion() {
        return new String[] {
            "nrt4j " + version(), "Java " + Runtime.version() + " (" + System.getProperty("java.vendor") + ")"
        };
    }
}
