package dev.nrt4j.nativert;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nrt4j.Model;
import dev.nrt4j.NeuronRuntime;
import dev.nrt4j.TensorSet;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Surefire runs on target/classes, where the jar's Java 22 part is not in effect, so this is the
 * JNA binding on the build JDK (25 in CI), beside the failsafe runs that get FFM on it.
 */
class JnaOnThisJdkTest {
    @TempDir
    Path dir;

    @Test
    void executesThroughJna() {
        try (NeuronRuntime rt = LibnrtDouble.open();
                Model m = rt.load(TestNeffs.write(dir, "add.neff", TestNeffs.add()));
                TensorSet in = m.allocateInputs();
                TensorSet out = m.allocateOutputs()) {
            assertThat(rt.backend().detail()).contains("through jna");
            in.get("input0").write(new float[] {1, 2, 3, 4, 5, 6});
            in.get("input1").write(new float[] {1, 1, 1, 1, 1, 1});
            m.execute(in, out);
            assertThat(out.get("output0").readFloats()).containsExactly(2, 3, 4, 5, 6, 7);
        }
        assertThat(LibnrtDouble.live(LibnrtDouble.TENSORS)).isZero();
        assertThat(LibnrtDouble.misuse()).isZero();
    }
}
