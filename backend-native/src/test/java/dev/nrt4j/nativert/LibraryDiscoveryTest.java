package dev.nrt4j.nativert;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nrt4j.RuntimeOptions;
import dev.nrt4j.nativert.binding.InstanceInfo;
import dev.nrt4j.spi.BackendAvailability;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class LibraryDiscoveryTest {

    @Test
    void theConfiguredPathComesFirstThenTheSonameThenTheInstallDirectory() {
        Properties p = new Properties();
        p.setProperty(LibraryLocator.PROPERTY, "/from/property/libnrt.so.1");
        assertThat(LibraryLocator.candidates(Map.of(LibraryLocator.ENVIRONMENT, "/from/env/libnrt.so.1"), p))
                .containsExactly("/from/property/libnrt.so.1", "libnrt.so.1", "/opt/aws/neuron/lib/libnrt.so.1");
        assertThat(LibraryLocator.candidates(
                        Map.of(LibraryLocator.ENVIRONMENT, "/from/env/libnrt.so.1"), new Properties()))
                .containsExactly("/from/env/libnrt.so.1", "libnrt.so.1", "/opt/aws/neuron/lib/libnrt.so.1");
        assertThat(LibraryLocator.candidates(Map.of(), new Properties()))
                .containsExactly("libnrt.so.1", "/opt/aws/neuron/lib/libnrt.so.1");
    }

    @Test
    void aMissingLibraryIsAnAnswerWithEveryReasonNotAnError() {
        Properties p = new Properties();
        p.setProperty(LibraryLocator.PROPERTY, "/nonexistent/libnrt.so.1");
        LibraryLocator.Result r = LibraryLocator.locate(Map.of(), p);
        assertThat(r.lib).isNull();
        assertThat(r.failure)
                .contains("/nonexistent/libnrt.so.1: no such file")
                .contains("aws-neuronx-runtime-lib")
                .contains("nrt4j.libnrt");
    }

    @Test
    void theProviderRanksAboveTheReferenceDeviceAndNeverThrowsFromProbe() {
        NativeBackendProvider provider = new NativeBackendProvider();
        assertThat(provider.name()).isEqualTo("native");
        assertThat(provider.priority()).isGreaterThan(0);
        String saved = System.getProperty(LibraryLocator.PROPERTY);
        System.setProperty(LibraryLocator.PROPERTY, "/nonexistent/libnrt.so.1");
        try {
            BackendAvailability a = provider.probe(RuntimeOptions.builder().build());
            // Where a real libnrt is installed the probe may succeed through the system path; here it cannot.
            if (!a.isAvailable()) {
                assertThat(a.detail()).contains("/nonexistent/libnrt.so.1");
            }
        } finally {
            if (saved == null) {
                System.clearProperty(LibraryLocator.PROPERTY);
            } else {
                System.setProperty(LibraryLocator.PROPERTY, saved);
            }
        }
    }

    @Test
    void anUnknownForcedBindingIsAnAnswerNamingTheChoices() {
        System.setProperty(dev.nrt4j.nativert.binding.Bindings.PROPERTY, "jni");
        try {
            BackendAvailability a =
                    new NativeBackendProvider().probe(RuntimeOptions.builder().build());
            assertThat(a.isAvailable()).isFalse();
            assertThat(a.detail()).contains("jni").contains("ffm or jna");
        } finally {
            System.clearProperty(dev.nrt4j.nativert.binding.Bindings.PROPERTY);
        }
    }

    @Test
    void optionsBecomeTheVariablesLibnrtReads() {
        RuntimeOptions o = RuntimeOptions.builder(Map.of(), new Properties())
                .visibleCores("2-3")
                .numCores(2)
                .lnc(2)
                .execTimeout(Duration.ofSeconds(90))
                .build();
        assertThat(EnvironmentSettings.of(o).variables())
                .containsExactlyInAnyOrderEntriesOf(Map.of(
                        "NEURON_RT_VISIBLE_CORES",
                        "2-3",
                        "NEURON_RT_NUM_CORES",
                        "2",
                        "NEURON_LOGICAL_NC_CONFIG",
                        "2",
                        "NEURON_RT_EXEC_TIMEOUT",
                        "90"));
        assertThat(EnvironmentSettings.of(RuntimeOptions.builder(Map.of(), new Properties())
                                .build())
                        .variables())
                .isEmpty();
        // libnrt counts whole seconds; a fraction rounds up so no execution is cut off sooner than asked.
        RuntimeOptions fraction = RuntimeOptions.builder(Map.of(), new Properties())
                .execTimeout(Duration.ofMillis(1500))
                .build();
        assertThat(EnvironmentSettings.of(fraction).variables()).containsEntry("NEURON_RT_EXEC_TIMEOUT", "2");
        RuntimeOptions profiled = RuntimeOptions.builder(Map.of(), new Properties())
                .profileOutput(java.nio.file.Path.of("/var/tmp/profile"))
                .build();
        assertThat(EnvironmentSettings.of(profiled).variables())
                .containsExactlyInAnyOrderEntriesOf(
                        Map.of("NEURON_RT_INSPECT_ENABLE", "1", "NEURON_RT_INSPECT_OUTPUT_DIR", "/var/tmp/profile"));
        // The runtime's log level is libnrt's console level too; OFF is libnrt's QUIET.
        assertThat(EnvironmentSettings.of(RuntimeOptions.builder(Map.of(), new Properties())
                                .logLevel(System.Logger.Level.OFF)
                                .build())
                        .variables())
                .containsExactlyEntriesOf(Map.of("NEURON_RT_LOG_LEVEL", "QUIET"));
        assertThat(EnvironmentSettings.of(RuntimeOptions.builder(Map.of(), new Properties())
                                .logLevel(System.Logger.Level.DEBUG)
                                .build())
                        .variables())
                .containsExactlyEntriesOf(Map.of("NEURON_RT_LOG_LEVEL", "DEBUG"));
    }

    @Test
    void neuronxCcTargetsFollowTheInstanceFamily() {
        assertThat(NeffCompiler.target("trn1.2xlarge")).isEqualTo("trn1");
        assertThat(NeffCompiler.target("trn1n.32xlarge")).isEqualTo("trn1n");
        assertThat(NeffCompiler.target("trn2u.48xlarge")).isEqualTo("trn2");
        assertThat(NeffCompiler.target("inf2.8xlarge")).isEqualTo("inf2");
        assertThat(NeffCompiler.find(Map.of("PATH", "/nonexistent-dir"), new Properties()))
                .isEmpty();
    }

    @Test
    void instanceCodesName() {
        assertThat(InstanceTypes.name(new InstanceInfo(2, 1, "", ""))).hasValue("trn1.2xlarge");
        assertThat(InstanceTypes.name(new InstanceInfo(5, 7, "", ""))).hasValue("trn2.48xlarge");
        assertThat(InstanceTypes.name(new InstanceInfo(5, 8, "", ""))).hasValue("trn2.3xlarge");
        assertThat(InstanceTypes.name(new InstanceInfo(4, 0, "", ""))).hasValue("inf2.xlarge");
        assertThat(InstanceTypes.name(new InstanceInfo(0, 1, "", ""))).isEmpty();
        assertThat(InstanceTypes.name(new InstanceInfo(2, 9, "", "")))
                .as("NRT_INSTANCE_SIZE_UNKNOWN")
                .isEmpty();
    }
}
