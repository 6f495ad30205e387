package dev.nrt4j.nativert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import dev.nrt4j.NeuronRuntime;
import dev.nrt4j.RuntimeOptions;
import dev.nrt4j.nativert.binding.Bindings;
import dev.nrt4j.nativert.binding.FfmBinding;
import dev.nrt4j.spi.BackendAvailability;
import dev.nrt4j.testsupport.JdkLeg;
import org.junit.jupiter.api.Test;

/**
 * Runs against the packaged multi-release jar, once on the build JDK and once on the JDK 17 leg:
 * FFM must be the binding on Java 22+ when the jar was built with 22+, JNA otherwise.
 */
class BindingSelectionIT {

    @Test
    void runsOnTheJdkTheLegAskedFor() {
        JdkLeg.assertRunsOnTheExpectedJdk();
    }

    @Test
    void theRuntimeUsesTheBindingForThisJdk() {
        String expected = JdkLeg.java22ClassesRun() ? "ffm" : "jna";
        JdkLeg.assertFromPackagedJar(FfmBinding.class);

        assertThat(FfmBinding.isSupported()).as(FfmBinding.detail()).isEqualTo(expected.equals("ffm"));
        assertThat(Bindings.chosen()).isEqualTo(expected);
        try (NeuronRuntime rt = LibnrtDouble.open()) {
            assertThat(rt.backend().detail()).contains("through " + expected);
        }
    }

    @Test
    void thePropertyForcesJnaOnAnyJdk() {
        System.setProperty(Bindings.PROPERTY, "jna");
        try (NeuronRuntime rt = LibnrtDouble.open()) {
            assertThat(rt.backend().detail()).contains("through jna");
        } finally {
            System.clearProperty(Bindings.PROPERTY);
        }
    }

    @Test
    void forcingFfmWhereItIsMissingMakesTheBackendUnavailableWithTheReason() {
        assumeFalse(FfmBinding.isSupported(), "FFM is supported here");
        LibnrtDouble.use();
        System.setProperty(Bindings.PROPERTY, "ffm");
        try {
            BackendAvailability a =
                    new NativeBackendProvider().probe(RuntimeOptions.builder().build());
            assertThat(a.isAvailable()).isFalse();
            assertThat(a.detail()).contains("through ffm").contains("Java");
        } finally {
            System.clearProperty(Bindings.PROPERTY);
        }
    }

    @Test
    void theProviderIsFoundAndPreferredWhenLibnrtIsThere() {
        LibnrtDouble.use();
        assertThat(NeuronRuntime.describeBackends()).anySatisfy(b -> {
            assertThat(b.name()).isEqualTo("native");
            assertThat(b.isAvailable()).as(b.detail()).isTrue();
            assertThat(b.isSelected()).isTrue();
            assertThat(b.detail()).contains("4 NeuronCores");
        });
    }
}
