package dev.nrt4j;

import static dev.nrt4j.TestRuntimes.program;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TensorSetTest extends OnTheMemoryBackend {
    @TempDir
    Path tmp;

    @Test
    void putGetContainsAndNamesInFirstAddedOrder() {
        try (Tensor a = rt.allocate("a", 4, 0);
                Tensor b = rt.allocate("b", 4, 0);
                TensorSet s = rt.newTensorSet()) {
            assertThat(s.names()).isEmpty();
            assertThat(s.put("x", a)).isSameAs(s);
            s.put("y", b);

            assertThat(s.get("x")).isSameAs(a);
            assertThat(s.get("y")).isSameAs(b);
            assertThat(s.contains("x")).isTrue();
            assertThat(s.contains("z")).isFalse();
            assertThat(s.names()).containsExactly("x", "y");
        }
    }

    @Test
    void putReplacesByNameAndKeepsThePosition() {
        try (Tensor a = rt.allocate("a", 4, 0);
                Tensor b = rt.allocate("b", 8, 0);
                Tensor c = rt.allocate("c", 4, 0);
                TensorSet s = rt.newTensorSet()) {
            s.put("x", a).put("y", c).put("x", b);

            assertThat(s.get("x")).isSameAs(b);
            assertThat(s.names()).containsExactly("x", "y");
            assertThat(a.isOpen())
                    .as("a replaced tensor is not closed by the set")
                    .isTrue();
        }
    }

    @Test
    void aMissingNameIsFailureNamingWhatIsThere() {
        try (Tensor a = rt.allocate("a", 4, 0);
                TensorSet s = rt.newTensorSet().put("present", a)) {
            assertThatThrownBy(() -> s.get("absent"))
                    .isInstanceOfSatisfying(
                            NeuronException.class, e -> assertThat(e.status()).isEqualTo(Status.FAILURE))
                    .hasMessageContaining("'absent'")
                    .hasMessageContaining("present");
            // No set can hold a null name: the calling code's mistake, not a status.
            assertThatThrownBy(() -> s.get(null)).isInstanceOf(NullPointerException.class);
        }
    }

    @Test
    void aSetFromTheRuntimeDoesNotCloseItsTensors() {
        Tensor a = rt.allocate("a", 16, 0);
        TensorSet s = rt.newTensorSet().put("a", a);
        s.close();
        s.close();

        assertThat(s.isOpen()).isFalse();
        assertThat(a.isOpen()).isTrue();
        a.write(new int[] {1, 2, 3, 4});
        assertThat(a.readInts()).containsExactly(1, 2, 3, 4);
        assertThat(backend.usedBytes(0)).isEqualTo(16);
        assertThat(rt.openResources()).hasSize(1).allMatch(d -> d.contains("'a'"));
        a.close();
    }

    @Test
    void aClosedSetRefusesUseButItsNamesRemainReadable() {
        try (Tensor a = rt.allocate("a", 4, 0)) {
            TensorSet s = rt.newTensorSet().put("a", a);
            s.close();

            assertThatThrownBy(() -> s.get("a")).isInstanceOf(IllegalStateException.class);
            assertThatThrownBy(() -> s.put("b", a)).isInstanceOf(IllegalStateException.class);
            assertThatThrownBy(() -> s.contains("a")).isInstanceOf(IllegalStateException.class);
        }
    }

    @Test
    void tensorsMustBeOpenAndOfTheSameRuntime() {
        try (TensorSet s = rt.newTensorSet();
                NeuronRuntime rt2 = TestRuntimes.memory();
                Tensor foreign = rt2.allocate("foreign", 4, 0)) {
            Tensor closed = rt.allocate("closed", 4, 0);
            closed.close();

            assertThatThrownBy(() -> s.put("f", foreign))
                    .isInstanceOfSatisfying(
                            NeuronException.class, e -> assertThat(e.status()).isEqualTo(Status.INVALID))
                    .hasMessageContaining("another runtime");
            assertThatThrownBy(() -> s.put("c", closed)).isInstanceOf(IllegalStateException.class);
            assertThat(s.names()).isEmpty();
        }
    }

    @Test
    void setsFromAModelOwnTheirTensorsButNotOnesAddedLater() {
        Path p = program(tmp, "add.hlo.txt", "add f32 4");
        try (Model m = rt.load(ModelSource.of(p), LoadOptions.onCore(1));
                Tensor mine = rt.allocate("mine", 16, 1)) {
            TensorSet in = m.allocateInputs();
            Tensor input0 = in.get("input0");
            Tensor input1 = in.get("input1");
            assertThat(in.names()).containsExactly("input0", "input1");
            assertThat(input0.core()).isEqualTo(1);
            assertThat(input0.size()).isEqualTo(16);
            in.put("extra", mine);
            // Replacing an owned tensor must not leak it: the set still closes it.
            in.put("input1", mine);

            in.close();

            assertThat(input0.isOpen()).isFalse();
            assertThat(input1.isOpen()).isFalse();
            assertThat(mine.isOpen()).isTrue();
            assertThat(backend.usedBytes(1)).isEqualTo(16);
        }
    }

    @Test
    void closingAnOwnedTensorFirstDoesNotFreeItTwice() {
        Path p = program(tmp, "add.hlo.txt", "add f32 4");
        try (Model m = rt.load(p)) {
            TensorSet out = m.allocateOutputs();
            out.get("output0").close();
            out.close();
            assertThat(out.isOpen()).isFalse();
        }
        assertThat(rt.openResources()).isEmpty();
        // A second free would have been recorded by the backend (ContractCheck).
    }

    @Test
    void openSetsAreListedAsRuntimeResources() {
        TensorSet s = rt.newTensorSet();
        assertThat(rt.openResources()).anyMatch(d -> d.startsWith("tensor set"));
        s.close();
        assertThat(rt.openResources()).isEmpty();
    }
}
