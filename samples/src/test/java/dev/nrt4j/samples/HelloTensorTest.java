package dev.nrt4j.samples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nrt4j.NeuronCore;
import dev.nrt4j.NeuronException;
import dev.nrt4j.Shape;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Isolated;

@Isolated("claims simulated cores")
class HelloTensorTest {
    @TempDir
    Path stateDir;

    @Test
    void roundTripsSixFloatsThroughDeviceMemory() {
        List<String> log = new ArrayList<>();
        HelloTensor.Result r =
                HelloTensor.run(TestRuntimes.reference(stateDir, "inf2.xlarge").build(), 1, log::add);

        assertThat(r.backend()).isEqualTo("reference");
        assertThat(r.instanceType()).isEqualTo("inf2.xlarge");
        assertThat(r.cores()).extracting(NeuronCore::index).containsExactly(0, 1);
        assertThat(r.core()).isEqualTo(1);
        assertThat(r.readBack().shape()).isEqualTo(Shape.of(2, 3));
        assertThat(r.readBack().toFloatArray()).containsExactly(1, 2, 3, 4, 5, 6);
        assertThat(log.get(0)).startsWith("backend: ").contains("inf2.xlarge");
        assertThat(log).hasSize(3);
    }

    @Test
    void aCoreThatIsNotVisibleIsTheRuntimesError() {
        assertThatThrownBy(() -> HelloTensor.run(
                        TestRuntimes.reference(stateDir, "inf2.xlarge").build(), 2, s -> {}))
                .isInstanceOf(NeuronException.class);
    }
}
