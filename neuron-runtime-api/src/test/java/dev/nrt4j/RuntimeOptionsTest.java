package dev.nrt4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class RuntimeOptionsTest {
    private static final Map<String, String> FULL_ENV = Map.of(
            "NRT4J_BACKEND", "env-backend",
            "NEURON_RT_VISIBLE_CORES", "0-3",
            "NEURON_RT_NUM_CORES", "4",
            "NEURON_LOGICAL_NC_CONFIG", "2",
            "NRT4J_INSTANCE_TYPE", "trn2.48xlarge",
            "NEURON_RT_EXEC_TIMEOUT", "30",
            "NRT4J_LEAK_DETECTION", "true",
            "NEURON_RT_LOG_LEVEL", "warn");

    private static Properties props(String... keyValues) {
        Properties p = new Properties();
        for (int i = 0; i < keyValues.length; i += 2) {
            p.setProperty(keyValues[i], keyValues[i + 1]);
        }
        return p;
    }

    @Test
    void nothingSetMeansEverythingEmptyAndNoLeakDetection() {
        RuntimeOptions o = RuntimeOptions.builder(Map.of(), new Properties()).build();

        assertThat(o.backend()).isEmpty();
        assertThat(o.visibleCores()).isEmpty();
        assertThat(o.numCores()).isEmpty();
        assertThat(o.lnc()).isEmpty();
        assertThat(o.instanceType()).isEmpty();
        assertThat(o.execTimeout()).isEmpty();
        assertThat(o.leakDetection()).isFalse();
    }

    @Test
    void environmentVariablesFillEveryOption() {
        RuntimeOptions o = RuntimeOptions.builder(FULL_ENV, new Properties()).build();

        assertThat(o.backend()).contains("env-backend");
        assertThat(o.visibleCores()).contains("0-3");
        assertThat(o.numCores()).hasValue(4);
        assertThat(o.lnc()).hasValue(2);
        assertThat(o.instanceType()).contains("trn2.48xlarge");
        assertThat(o.execTimeout()).contains(Duration.ofSeconds(30));
        assertThat(o.leakDetection()).isTrue();
        assertThat(o.logLevel()).contains(System.Logger.Level.WARNING);
    }

    @Test
    void systemPropertiesBeatEnvironmentVariables() {
        Properties p = props(
                "nrt4j.backend",
                "prop-backend",
                "nrt4j.visibleCores",
                "3-5,6",
                "nrt4j.numCores",
                "1",
                "nrt4j.lnc",
                "1",
                "nrt4j.instanceType",
                "inf2.xlarge",
                "nrt4j.execTimeout",
                "7",
                "nrt4j.leakDetection",
                "false");

        RuntimeOptions o = RuntimeOptions.builder(FULL_ENV, p).build();

        assertThat(o.backend()).contains("prop-backend");
        assertThat(o.visibleCores()).contains("3-5,6");
        assertThat(o.numCores()).hasValue(1);
        assertThat(o.lnc()).hasValue(1);
        assertThat(o.instanceType()).contains("inf2.xlarge");
        assertThat(o.execTimeout()).contains(Duration.ofSeconds(7));
        assertThat(o.leakDetection()).isFalse();
    }

    @Test
    void theBuilderBeatsSystemPropertiesAndEnvironment() {
        Properties p = props(
                "nrt4j.backend",
                "prop-backend",
                "nrt4j.visibleCores",
                "3",
                "nrt4j.numCores",
                "1",
                "nrt4j.lnc",
                "1",
                "nrt4j.instanceType",
                "inf2.xlarge",
                "nrt4j.execTimeout",
                "7",
                "nrt4j.leakDetection",
                "true");

        RuntimeOptions o = RuntimeOptions.builder(FULL_ENV, p)
                .backend("built")
                .visibleCores("1-2")
                .numCores(2)
                .lnc(2)
                .instanceType("trn1.32xlarge")
                .execTimeout(Duration.ofMillis(1500))
                .leakDetection(false)
                .build();

        assertThat(o.backend()).contains("built");
        assertThat(o.visibleCores()).contains("1-2");
        assertThat(o.numCores()).hasValue(2);
        assertThat(o.lnc()).hasValue(2);
        assertThat(o.instanceType()).contains("trn1.32xlarge");
        assertThat(o.execTimeout()).contains(Duration.ofMillis(1500));
        assertThat(o.leakDetection()).isFalse();
    }

    @Test
    void theTimeoutInWholeSecondsRoundsUpSoNoExecutionIsCutOffSooner() {
        RuntimeOptions.Builder b = RuntimeOptions.builder(Map.of(), new Properties());
        assertThat(b.build().execTimeoutSeconds()).isEmpty();
        assertThat(b.execTimeout(Duration.ofMillis(1500)).build().execTimeoutSeconds())
                .hasValue(2);
        assertThat(b.execTimeout(Duration.ofMillis(1)).build().execTimeoutSeconds())
                .hasValue(1);
        assertThat(b.execTimeout(Duration.ofSeconds(3)).build().execTimeoutSeconds())
                .hasValue(3);
        assertThat(b.execTimeout(Duration.ofMillis(1500)).build().toSystemProperties())
                .containsEntry("nrt4j.execTimeout", "2");
    }

    @Test
    void blankValuesCountAsUnsetAndValuesAreTrimmed() {
        Properties p = props("nrt4j.backend", "  ", "nrt4j.numCores", " 3 ");

        RuntimeOptions o = RuntimeOptions.builder(Map.of("NRT4J_BACKEND", " env-backend "), p)
                .instanceType(" ")
                .build();

        assertThat(o.backend()).contains("env-backend");
        assertThat(o.numCores()).hasValue(3);
        assertThat(o.instanceType()).isEmpty();
    }

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource({
        "NEURON_RT_NUM_CORES, four",
        "NEURON_RT_NUM_CORES, -1",
        "NEURON_RT_NUM_CORES, 99999999999",
        "NEURON_LOGICAL_NC_CONFIG, two",
        "NEURON_LOGICAL_NC_CONFIG, 0",
        "NEURON_RT_EXEC_TIMEOUT, 1.5",
        "NEURON_RT_EXEC_TIMEOUT, 0",
        "NEURON_RT_EXEC_TIMEOUT, 10s",
    })
    void aMalformedEnvironmentVariableIsInvalidAndNamed(String variable, String value) {
        assertThatThrownBy(() -> RuntimeOptions.builder(Map.of(variable, value), new Properties())
                        .build())
                .isInstanceOfSatisfying(
                        NeuronException.class, e -> assertThat(e.status()).isEqualTo(Status.INVALID))
                .hasMessageContaining(variable)
                .hasMessageContaining(value);
    }

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource({
        "nrt4j.numCores, x",
        "nrt4j.lnc, -2",
        "nrt4j.execTimeout, soon",
    })
    void aMalformedSystemPropertyIsInvalidAndNamed(String property, String value) {
        assertThatThrownBy(() ->
                        RuntimeOptions.builder(Map.of(), props(property, value)).build())
                .isInstanceOfSatisfying(
                        NeuronException.class, e -> assertThat(e.status()).isEqualTo(Status.INVALID))
                .hasMessageContaining("system property " + property)
                .hasMessageContaining(value);
    }

    @Test
    void aMalformedVariableDoesNotMatterWhenSomethingStrongerIsSet() {
        Map<String, String> bad =
                Map.of("NEURON_RT_NUM_CORES", "x", "NEURON_LOGICAL_NC_CONFIG", "y", "NEURON_RT_EXEC_TIMEOUT", "z");

        RuntimeOptions o = RuntimeOptions.builder(bad, props("nrt4j.numCores", "2"))
                .lnc(1)
                .execTimeout(Duration.ofSeconds(3))
                .build();

        assertThat(o.numCores()).hasValue(2);
        assertThat(o.lnc()).hasValue(1);
        assertThat(o.execTimeout()).contains(Duration.ofSeconds(3));
    }

    @Test
    void zeroCoresMeansAll() {
        assertThat(RuntimeOptions.builder(Map.of("NEURON_RT_NUM_CORES", "0"), new Properties())
                        .build()
                        .numCores())
                .hasValue(0);
    }

    @ParameterizedTest
    @ValueSource(strings = {"true", "TRUE", "True", "1"})
    void leakDetectionIsOnForTrueOrOne(String value) {
        assertThat(RuntimeOptions.builder(Map.of("NRT4J_LEAK_DETECTION", value), new Properties())
                        .build()
                        .leakDetection())
                .isTrue();
        assertThat(RuntimeOptions.builder(Map.of(), props("nrt4j.leakDetection", value))
                        .build()
                        .leakDetection())
                .isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"false", "0", "no", "yes", "on"})
    void leakDetectionIsOffForAnythingElse(String value) {
        assertThat(RuntimeOptions.builder(Map.of("NRT4J_LEAK_DETECTION", value), new Properties())
                        .build()
                        .leakDetection())
                .isFalse();
    }

    @Test
    void leakDetectionFromTheBuilderOverridesProperty() {
        assertThat(RuntimeOptions.builder(Map.of(), props("nrt4j.leakDetection", "false"))
                        .leakDetection(true)
                        .build()
                        .leakDetection())
                .isTrue();
    }

    @Test
    void theBuilderRejectsImpossibleValuesAtOnce() {
        RuntimeOptions.Builder b = RuntimeOptions.builder(Map.of(), new Properties());

        assertThatThrownBy(() -> b.numCores(-1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> b.execTimeout(Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> b.execTimeout(Duration.ofSeconds(-1))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theBuilderKeepsItsOwnCopyOfTheProperties() {
        Properties p = props("nrt4j.backend", "before");
        RuntimeOptions.Builder b = RuntimeOptions.builder(Map.of(), p);
        p.setProperty("nrt4j.backend", "after");

        assertThat(b.build().backend()).contains("before");
    }

    @Test
    void toBuilderReproducesTheOptionsAndDoesNotReadTheEnvironmentAgain() {
        RuntimeOptions o = RuntimeOptions.builder(FULL_ENV, new Properties()).build();

        assertThat(o.toBuilder().build()).isEqualTo(o).hasSameHashCodeAs(o);
        assertThat(o.toBuilder().numCores(1).build()).isNotEqualTo(o);
        RuntimeOptions empty =
                RuntimeOptions.builder(Map.of(), new Properties()).build();
        assertThat(empty.toBuilder().build()).isEqualTo(empty);
    }

    @Test
    void asSystemPropertiesTheOptionsConfigureAnotherProcessTheSameWay() {
        RuntimeOptions o = RuntimeOptions.builder(FULL_ENV, new Properties())
                .execTimeout(Duration.ofMillis(1500))
                .stateDir(java.nio.file.Path.of("/var/tmp/state"))
                .build();
        Properties p = new Properties();
        p.putAll(o.toSystemProperties());

        RuntimeOptions again = RuntimeOptions.builder(Map.of(), p).build();
        assertThat(again.toBuilder().execTimeout(Duration.ofMillis(1500)).build())
                .isEqualTo(o);
        assertThat(again.execTimeout()).contains(Duration.ofSeconds(2));
        assertThat(RuntimeOptions.builder(Map.of(), new Properties()).build().toSystemProperties())
                .isEmpty();
    }

    @Test
    void profileOutputIsOffUnlessAskedForAndTravelsToAnotherProcess() {
        assertThat(RuntimeOptions.builder(Map.of(), new Properties()).build().profileOutput())
                .isEmpty();
        assertThat(RuntimeOptions.builder(Map.of("NRT4J_PROFILE_OUTPUT", "/tmp/env.json"), new Properties())
                        .build()
                        .profileOutput())
                .contains(java.nio.file.Path.of("/tmp/env.json"));
        RuntimeOptions o = RuntimeOptions.builder(Map.of(), new Properties())
                .profileOutput(java.nio.file.Path.of("/tmp/trace.json"))
                .build();
        Properties p = new Properties();
        p.putAll(o.toSystemProperties());

        assertThat(p).containsEntry("nrt4j.profileOutput", "/tmp/trace.json");
        assertThat(RuntimeOptions.builder(Map.of(), p).build()).isEqualTo(o);
        assertThat(o.toBuilder().build()).isEqualTo(o).hasSameHashCodeAs(o);
    }

    @Test
    void theLogLevelReadsLibnrtsNamesAndGivesThemBackToLibnrt() {
        Map<String, System.Logger.Level> names = Map.of(
                "ERROR", System.Logger.Level.ERROR,
                "warn", System.Logger.Level.WARNING,
                "WARNING", System.Logger.Level.WARNING,
                "Info", System.Logger.Level.INFO,
                "DEBUG", System.Logger.Level.DEBUG,
                "trace", System.Logger.Level.TRACE,
                "QUIET", System.Logger.Level.OFF);
        names.forEach((name, level) -> {
            RuntimeOptions o = RuntimeOptions.builder(Map.of("NEURON_RT_LOG_LEVEL", name), new Properties())
                    .build();
            assertThat(o.logLevel()).as(name).contains(level);
        });
        assertThat(RuntimeOptions.builder(Map.of(), new Properties()).build().libnrtLogLevel())
                .isEmpty();
        assertThat(RuntimeOptions.builder(Map.of(), new Properties())
                        .logLevel(System.Logger.Level.OFF)
                        .build()
                        .libnrtLogLevel())
                .contains("QUIET");
        assertThat(RuntimeOptions.builder(Map.of(), new Properties())
                        .logLevel(System.Logger.Level.WARNING)
                        .build()
                        .libnrtLogLevel())
                .contains("WARNING");
        assertThat(RuntimeOptions.builder(Map.of(), new Properties())
                        .logLevel(System.Logger.Level.ALL)
                        .build()
                        .libnrtLogLevel())
                .contains("TRACE");
        // The property beats the variable, and travels to another process.
        RuntimeOptions o = RuntimeOptions.builder(
                        Map.of("NEURON_RT_LOG_LEVEL", "QUIET"), props("nrt4j.logLevel", "debug"))
                .build();
        assertThat(o.logLevel()).contains(System.Logger.Level.DEBUG);
        assertThat(o.toSystemProperties()).containsEntry("nrt4j.logLevel", "DEBUG");
    }

    @Test
    void aLogLevelLibnrtDoesNotKnowIsRefusedNamingTheVariable() {
        assertThatThrownBy(() -> RuntimeOptions.builder(Map.of("NEURON_RT_LOG_LEVEL", "loud"), new Properties())
                        .build())
                .isInstanceOfSatisfying(
                        NeuronException.class, e -> assertThat(e.status()).isEqualTo(Status.INVALID))
                .hasMessageContaining("environment variable NEURON_RT_LOG_LEVEL is 'loud'")
                .hasMessageContaining("QUIET");
    }
}
