package dev.nrt4j;

import static dev.nrt4j.TestRuntimes.isolatedOptions;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nrt4j.testbackend.BrokenBackendProvider;
import dev.nrt4j.testbackend.ContractCheck;
import dev.nrt4j.testbackend.HardwareBackendProvider;
import dev.nrt4j.testbackend.MemoryBackendProvider;
import dev.nrt4j.testbackend.ThrowingProbeProvider;
import java.io.IOException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(ContractCheck.class)
class BackendDiscoveryTest {
    private static final String SERVICES = "META-INF/services/dev.nrt4j.spi.BackendProvider";
    private static final String UNLOADABLE = "(unloadable provider)";

    @TempDir
    Path tmp;

    @Test
    void describeListsEveryProviderByPriorityAndSelectsTheBestAvailable() {
        List<BackendDescription> all =
                NeuronRuntime.describeBackends(isolatedOptions().build());

        assertThat(all)
                .extracting(BackendDescription::name)
                .containsExactly(HardwareBackendProvider.NAME, MemoryBackendProvider.NAME, UNLOADABLE);
        BackendDescription hardware = all.get(0);
        assertThat(hardware.priority()).isEqualTo(HardwareBackendProvider.PRIORITY);
        assertThat(hardware.isAvailable()).isFalse();
        assertThat(hardware.isSelected()).isFalse();
        assertThat(hardware.detail()).isEqualTo(HardwareBackendProvider.UNAVAILABLE_REASON);
        BackendDescription memory = all.get(1);
        assertThat(memory.isAvailable()).isTrue();
        assertThat(memory.isSelected()).isTrue();
        assertThat(memory.toString()).startsWith("* memory: available");
        assertThat(all).filteredOn(BackendDescription::isSelected).hasSize(1);
    }

    @Test
    void anUnloadableProviderIsReportedWithItsClassAndCauseAndHidesNothing() {
        List<BackendDescription> all =
                NeuronRuntime.describeBackends(isolatedOptions().build());

        BackendDescription broken = all.get(all.size() - 1);
        assertThat(broken.name()).isEqualTo(UNLOADABLE);
        assertThat(broken.isAvailable()).isFalse();
        assertThat(broken.isSelected()).isFalse();
        assertThat(broken.priority()).isEqualTo(Integer.MIN_VALUE);
        // The user must learn which class failed and why, or the report is not actionable.
        assertThat(broken.detail())
                .contains(BrokenBackendProvider.class.getName())
                .contains(BrokenBackendProvider.MESSAGE);
        // The broken provider claims priority 1000; had it loaded, it would have been chosen.
        try (NeuronRuntime rt = NeuronRuntime.open(isolatedOptions().build())) {
            assertThat(rt.backend().name()).isEqualTo(MemoryBackendProvider.NAME);
        }
    }

    @Test
    void theHighestPriorityAvailableBackendIsChosen() {
        RuntimeOptions onHardware = isolatedOptions()
                .instanceType(HardwareBackendProvider.MARKER_INSTANCE_TYPE)
                .build();

        List<BackendDescription> all = NeuronRuntime.describeBackends(onHardware);
        assertThat(all)
                .filteredOn(BackendDescription::isSelected)
                .extracting(BackendDescription::name)
                .containsExactly(HardwareBackendProvider.NAME);
        assertThat(all)
                .filteredOn(BackendDescription::isAvailable)
                .extracting(BackendDescription::name)
                .containsExactly(HardwareBackendProvider.NAME, MemoryBackendProvider.NAME);
        try (NeuronRuntime rt = NeuronRuntime.open(onHardware)) {
            assertThat(rt.backend().name()).isEqualTo(HardwareBackendProvider.NAME);
        }
    }

    @Test
    void aNamedBackendWinsOverPriorityAndNamesIgnoreCase() {
        RuntimeOptions options = isolatedOptions()
                .instanceType(HardwareBackendProvider.MARKER_INSTANCE_TYPE)
                .backend("MeMoRy")
                .build();

        assertThat(NeuronRuntime.describeBackends(options))
                .filteredOn(BackendDescription::isSelected)
                .extracting(BackendDescription::name)
                .containsExactly(MemoryBackendProvider.NAME);
        try (NeuronRuntime rt = NeuronRuntime.open(options)) {
            assertThat(rt.backend().name()).isEqualTo(MemoryBackendProvider.NAME);
            assertThat(rt.options()).isSameAs(options);
        }
    }

    @Test
    void aBackendNamedByEnvironmentOrPropertyIsUsed() {
        Properties props = new Properties();
        props.setProperty("nrt4j.backend", "hardware");
        RuntimeOptions byProperty = RuntimeOptions.builder(Map.of("NRT4J_BACKEND", "memory"), props)
                .instanceType(HardwareBackendProvider.MARKER_INSTANCE_TYPE)
                .build();
        RuntimeOptions byEnvironment = RuntimeOptions.builder(Map.of("NRT4J_BACKEND", "memory"), new Properties())
                .instanceType(HardwareBackendProvider.MARKER_INSTANCE_TYPE)
                .build();

        try (NeuronRuntime a = NeuronRuntime.open(byProperty);
                NeuronRuntime b = NeuronRuntime.open(byEnvironment)) {
            assertThat(a.backend().name()).isEqualTo("hardware");
            assertThat(b.backend().name()).isEqualTo("memory");
        }
    }

    @Test
    void anUnknownNameIsInvalidAndListsTheBackends() {
        RuntimeOptions options = isolatedOptions().backend("quantum").build();

        assertThatThrownBy(() -> NeuronRuntime.open(options))
                .isInstanceOfSatisfying(
                        NeuronException.class, e -> assertThat(e.status()).isEqualTo(Status.INVALID))
                .hasMessageContaining("'quantum'")
                .hasMessageContaining(HardwareBackendProvider.NAME)
                .hasMessageContaining(MemoryBackendProvider.NAME)
                .hasMessageContaining(UNLOADABLE);
        assertThat(NeuronRuntime.describeBackends(options)).noneMatch(BackendDescription::isSelected);
    }

    @Test
    void aNamedButUnavailableBackendFailsWithItsReason() {
        RuntimeOptions options = isolatedOptions().backend("hardware").build();

        assertThatThrownBy(() -> NeuronRuntime.open(options))
                .isInstanceOfSatisfying(
                        NeuronException.class, e -> assertThat(e.status()).isEqualTo(Status.FAILURE))
                .hasMessageContaining("'hardware' is unavailable")
                .hasMessageContaining(HardwareBackendProvider.UNAVAILABLE_REASON);
        // An available backend of lower priority is not silently used in its place.
        assertThat(NeuronRuntime.describeBackends(options)).noneMatch(BackendDescription::isSelected);
    }

    @Test
    void withNoProviderOnTheClassPathOpenFailsAndSaysWhatToAdd() throws Exception {
        ClassLoader none = ClassLoader.getPlatformClassLoader();

        assertThat(withContextLoader(
                        none,
                        () -> NeuronRuntime.describeBackends(isolatedOptions().build())))
                .isEmpty();
        assertThatThrownBy(() -> withContextLoader(
                        none, () -> NeuronRuntime.open(isolatedOptions().build())))
                .isInstanceOfSatisfying(
                        NeuronException.class, e -> assertThat(e.status()).isEqualTo(Status.FAILURE))
                .hasMessageContaining("no nrt4j backend is on the class path");
    }

    @Test
    void whenNothingIsAvailableOpenFailsListingWhy() throws Exception {
        ClassLoader only = loaderListing(HardwareBackendProvider.class.getName());

        assertThatThrownBy(() -> withContextLoader(
                        only, () -> NeuronRuntime.open(isolatedOptions().build())))
                .isInstanceOfSatisfying(
                        NeuronException.class, e -> assertThat(e.status()).isEqualTo(Status.FAILURE))
                .hasMessageContaining("no backend is available")
                .hasMessageContaining(HardwareBackendProvider.UNAVAILABLE_REASON);
    }

    @Test
    void aProbeThatThrowsMakesItsBackendUnavailableNotDiscoveryFail() throws Exception {
        ClassLoader loader =
                loaderListing(ThrowingProbeProvider.class.getName(), MemoryBackendProvider.class.getName());

        List<BackendDescription> all = withContextLoader(
                loader, () -> NeuronRuntime.describeBackends(isolatedOptions().build()));
        assertThat(all)
                .extracting(BackendDescription::name)
                .containsExactly("throwing-probe", MemoryBackendProvider.NAME);
        assertThat(all.get(0).isAvailable()).isFalse();
        assertThat(all.get(0).detail()).contains("probe failed").contains(ThrowingProbeProvider.MESSAGE);
        try (NeuronRuntime rt = withContextLoader(
                loader, () -> NeuronRuntime.open(isolatedOptions().build()))) {
            assertThat(rt.backend().name()).isEqualTo(MemoryBackendProvider.NAME);
        }
    }

    @Test
    void aProviderThatIsNotOnTheClassPathIsReportedAndTheOthersStillLoad() throws Exception {
        ClassLoader loader =
                loaderListing("dev.nrt4j.testbackend.NoSuchProvider", MemoryBackendProvider.class.getName());

        List<BackendDescription> all = withContextLoader(
                loader, () -> NeuronRuntime.describeBackends(isolatedOptions().build()));
        assertThat(all).extracting(BackendDescription::name).containsExactly(MemoryBackendProvider.NAME, UNLOADABLE);
        assertThat(all.get(1).detail()).contains("dev.nrt4j.testbackend.NoSuchProvider");
    }

    /** A loader that sees the test classes but a services file listing only {@code providers}. */
    private ClassLoader loaderListing(String... providers) throws IOException {
        Path services = Files.writeString(
                tmp.resolve("providers-" + providers.length + "-" + System.nanoTime()),
                String.join("\n", providers) + "\n");
        URL url = services.toUri().toURL();
        return new ClassLoader(getClass().getClassLoader()) {
            @Override
            public Enumeration<URL> getResources(String name) throws IOException {
                return name.equals(SERVICES) ? Collections.enumeration(List.of(url)) : super.getResources(name);
            }
        };
    }

    private static <T> T withContextLoader(ClassLoader loader, Callable<T> action) throws Exception {
        Thread thread = Thread.currentThread();
        ClassLoader saved = thread.getContextClassLoader();
        thread.setContextClassLoader(loader);
        try {
            return action.call();
        } finally {
            thread.setContextClassLoader(saved);
        }
    }
}
