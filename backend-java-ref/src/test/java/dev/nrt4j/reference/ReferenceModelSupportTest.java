package dev.nrt4j.reference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nrt4j.ModelSource;
import dev.nrt4j.ModelSupport;
import dev.nrt4j.NeuronException;
import dev.nrt4j.NeuronRuntime;
import dev.nrt4j.RuntimeOptions;
import dev.nrt4j.Status;
import dev.nrt4j.neff.NeffBuilder;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** {@link NeuronRuntime#check} on the reference device: what it cannot run is named, before anything is loaded. */
class ReferenceModelSupportTest {
    private static final RuntimeOptions OPTIONS = ReferenceRuntimeTest.options().build();

    private static ModelSource text(String... lines) {
        return ModelSource.of(String.join("\n", lines).getBytes(StandardCharsets.UTF_8), ModelSource.Kind.HLO_TEXT);
    }

    @Test
    void aProgramOfImplementedOpsIsSupported() {
        assertThat(NeuronRuntime.check(
                        text(
                                "HloModule m",
                                "ENTRY e {",
                                "  a = f32[4] parameter(0)",
                                "  ROOT n = f32[4] negate(a)",
                                "}"),
                        OPTIONS))
                .isEqualTo(ModelSupport.supported("reference"));
    }

    @Test
    void anUnknownCustomCallTargetIsNamed() {
        ModelSupport s = NeuronRuntime.check(
                text(
                        "HloModule m",
                        "ENTRY e {",
                        "  a = f32[4] parameter(0)",
                        "  ROOT c = f32[4] custom-call(a), custom_call_target=\"MyFusedKernel\"",
                        "}"),
                OPTIONS);

        assertThat(s.isSupported()).isFalse();
        assertThat(s.obstacles())
                .containsExactly("custom-call target \"MyFusedKernel\" is not implemented by the reference device");
    }

    @Test
    void aNeffWithoutItsHloAndTooManyReplicasAreNamed() {
        assertThat(NeuronRuntime.check(ModelSource.of(NeffBuilder.minimal().build(), ModelSource.Kind.NEFF), OPTIONS)
                        .obstacles())
                .singleElement()
                .asString()
                .contains("without the HLO module");
        ModelSupport wide = NeuronRuntime.check(
                text("HloModule m, replica_count=8", "ENTRY e {", "  ROOT a = f32[2] parameter(0)", "}"), OPTIONS);
        assertThat(wide.obstacles())
                .singleElement()
                .asString()
                .contains("8 replicas")
                .contains("has 2 cores");
    }

    @Test
    void anIllTypedProgramIsInvalidNotUnsupported() {
        assertThatThrownBy(() -> NeuronRuntime.check(
                        text(
                                "HloModule m",
                                "ENTRY e {",
                                "  a = f32[4] parameter(0)",
                                "  b = f32[5] parameter(1)",
                                "  ROOT s = f32[4] add(a, b)",
                                "}"),
                        OPTIONS))
                .isInstanceOfSatisfying(
                        NeuronException.class, e -> assertThat(e.status()).isEqualTo(Status.INVALID))
                .hasMessageContaining("f32[5]");
    }
}
