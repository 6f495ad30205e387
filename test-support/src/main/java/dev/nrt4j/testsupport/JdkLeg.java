package dev.nrt4j.testsupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Which JDK leg an integration test of a multi-release jar runs on. CI runs failsafe twice: on the build JDK
 * (25, which also compiles {@code src/main/java22}) and on JDK 17; the poms tell the tests the build's
 * release ({@code nrt4j.buildJavaFeature}) and, on the JDK 17 leg, the release it must run on
 * ({@code nrt4j.expectedJavaFeature}). Stateless.
 */
public final class JdkLeg {
    /** The system property with the Java feature release the build compiled with. */
    public static final String BUILD_FEATURE_PROPERTY = "nrt4j.buildJavaFeature";

    /** The system property with the Java feature release a leg must run on, where it says. */
    public static final String EXPECTED_FEATURE_PROPERTY = "nrt4j.expectedJavaFeature";

    private JdkLeg() {}

    /**
     * The Java feature release the build compiled with.
     *
     * @throws IllegalStateException if the test was not run by a failsafe configured with
     *     {@value #BUILD_FEATURE_PROPERTY}
     */
    public static int buildFeature() {
        String v = System.getProperty(BUILD_FEATURE_PROPERTY);
        if (v == null) {
            throw new IllegalStateException(
                    BUILD_FEATURE_PROPERTY + " is not set; run this test through the module's failsafe configuration");
        }
        return Integer.parseInt(v.strip());
    }

    /** {@return whether the jar holds Java 22 classes and this JVM loads them: a 22+ build run on 22+} */
    public static boolean java22ClassesRun() {
        return buildFeature() >= 22 && Runtime.version().feature() >= 22;
    }

    /** Fails if this JVM is not the release the leg asked for; passes on a leg that asks for none. */
    public static void assertRunsOnTheExpectedJdk() {
        String expected = System.getProperty(EXPECTED_FEATURE_PROPERTY);
        if (expected != null) {
            assertEquals(Integer.parseInt(expected.strip()), Runtime.version().feature(), "the JVM's feature release");
        }
    }

    /** Fails unless {@code type} was loaded from a jar: a multi-release jar is only tested as packaged. */
    public static void assertFromPackagedJar(Class<?> type) {
        String location =
                type.getProtectionDomain().getCodeSource().getLocation().toString();
        assertTrue(location.endsWith(".jar"), "failsafe must test the packaged jar, not " + location);
    }
}
