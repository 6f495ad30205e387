package dev.nrt4j.spi;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * Runs against the packaged (multi-release) jar, once on the build JDK and, with
 * {@code NRT4J_JDK17_HOME} set, once more on JDK 17: the jar must pick its Java 22 class on 22+ when
 * it was built with 22+, and its base class otherwise.
 */
class ForeignFunctionSupportIT {

    @Test
    void runsOnTheJdkTheLegAskedFor() {
        String expected = System.getProperty("nrt4j.expectedJavaFeature");
        if (expected != null) {
            assertThat(Runtime.version().feature()).isEqualTo(Integer.parseInt(expected));
        }
    }

    @Test
    void packagedJarChoosesTheClassForThisJdk() {
        int buildFeature = Integer.parseInt(System.getProperty("nrt4j.buildJavaFeature"));
        int runFeature = Runtime.version().feature();
        boolean jarHasJava22Code = buildFeature >= 22;
        String location = ForeignFunctionSupport.class
                .getProtectionDomain()
                .getCodeSource()
                .getLocation()
                .toString();

        assertThat(location).as("failsafe must test the packaged jar").endsWith(".jar");
        if (jarHasJava22Code && runFeature >= 22) {
            assertThat(ForeignFunctionSupport.isAvailable())
                    .as(ForeignFunctionSupport.detail())
                    .isTrue();
            assertThat(ForeignFunctionSupport.detail()).contains("checked with strlen");
        } else {
            assertThat(ForeignFunctionSupport.isAvailable()).isFalse();
            assertThat(ForeignFunctionSupport.detail()).contains("Java " + runFeature);
        }
    }
}
