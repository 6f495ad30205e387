package dev.nrt4j.spi;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nrt4j.testsupport.JdkLeg;
import org.junit.jupiter.api.Test;

/**
 * Runs against the packaged (multi-release) jar, once on the build JDK and, with
 * {@code NRT4J_JDK17_HOME} set, once more on JDK 17: the jar must pick its Java 22 class on 22+ when
 * it was built with 22+, and its base class otherwise.
 */
class ForeignFunctionSupportIT {

    @Test
    void runsOnTheJdkTheLegAskedFor() {
        JdkLeg.assertRunsOnTheExpectedJdk();
    }

    @Test
    void packagedJarChoosesTheClassForThisJdk() {
        int runFeature = Runtime.version().feature();
        JdkLeg.assertFromPackagedJar(ForeignFunctionSupport.class);
        if (JdkLeg.java22ClassesRun()) {
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
