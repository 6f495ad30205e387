package dev.nrt4j.reference;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nrt4j.Model;
import dev.nrt4j.ModelSource;
import dev.nrt4j.NeuronRuntime;
import dev.nrt4j.Tensor;
import dev.nrt4j.TensorSet;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Isolated;

/**
 * Executions reuse the value decoded from an input tensor while its bytes are unchanged; every way of changing
 * them (write, partial write, fill, copy into it, another tensor in the set) must be seen by the next execution.
 * The inputs span more than one page of the simulated memory, and one page is never written.
 */
@Isolated("claims simulated cores, which are shared by every runtime of the JVM")
class ReusedInputValuesTest {
    /** Past one 1 MiB page: the decoded value is read in pieces. */
    private static final int N = 300_000;

    private static final String ADD = String.join(
            "\n",
            "HloModule add",
            "ENTRY e {",
            "  a = f32[" + N + "] parameter(0)",
            "  b = f32[" + N + "] parameter(1)",
            "  ROOT s = f32[" + N + "] add(a, b)",
            "}");

    private static float[] random(SplittableRandom rnd) {
        float[] f = new float[N];
        for (int i = 0; i < N; i++) {
            f[i] = (float) rnd.nextGaussian();
        }
        return f;
    }

    private static float[] sum(float[] a, float[] b) {
        float[] s = new float[N];
        for (int i = 0; i < N; i++) {
            s[i] = a[i] + b[i];
        }
        return s;
    }

    /** Executes and returns the output. */
    private static float[] run(Model m, TensorSet in, TensorSet out) {
        m.execute(in, out);
        return out.get("output0").readFloats();
    }

    /**
     * The first element whose bits differ, or -1 (AssertJ's element-wise assertions over 300 000 floats are slow,
     * and their message would list them all).
     */
    private static int firstDifference(float[] got, float[] want) {
        for (int i = 0; i < want.length; i++) {
            if (Float.floatToRawIntBits(got[i]) != Float.floatToRawIntBits(want[i])) {
                return i;
            }
        }
        return -1;
    }

    @Test
    void everyChangeToAnInputIsSeenByTheNextExecution() {
        SplittableRandom rnd = new SplittableRandom(14);
        float[] a = random(rnd);
        float[] b = random(rnd);
        try (NeuronRuntime rt =
                        NeuronRuntime.open(ReferenceRuntimeTest.options().build());
                Model m = rt.load(ModelSource.of(ADD.getBytes(StandardCharsets.UTF_8), ModelSource.Kind.HLO_TEXT));
                TensorSet in = m.allocateInputs();
                TensorSet out = m.allocateOutputs()) {
            // Only the first page of b is written: the rest reads as zeros.
            ByteBuffer firstPage = ByteBuffer.allocate(SparseMemory.PAGE_SIZE).order(ByteOrder.LITTLE_ENDIAN);
            firstPage.asFloatBuffer().put(b, 0, SparseMemory.PAGE_SIZE / Float.BYTES);
            in.get("input1").write(firstPage);
            in.get("input0").write(a);
            float[] bHead = new float[N];
            System.arraycopy(b, 0, bHead, 0, SparseMemory.PAGE_SIZE / Float.BYTES);
            assertThat(firstDifference(run(m, in, out), sum(a, bHead)))
                    .as("b's unwritten page as zeros")
                    .isEqualTo(-1);

            in.get("input1").write(b);
            assertThat(firstDifference(run(m, in, out), sum(a, b)))
                    .as("after a whole write")
                    .isEqualTo(-1);
            assertThat(firstDifference(run(m, in, out), sum(a, b)))
                    .as("unchanged inputs again")
                    .isEqualTo(-1);

            // A write of one element, in the second page.
            int at = N - 7;
            a[at] = 1234.5f;
            in.get("input0")
                    .write(
                            (long) at * Float.BYTES,
                            ByteBuffer.allocate(Float.BYTES)
                                    .order(ByteOrder.LITTLE_ENDIAN)
                                    .putFloat(a[at])
                                    .flip());
            assertThat(firstDifference(run(m, in, out), sum(a, b)))
                    .as("after a one-element write")
                    .isEqualTo(-1);

            in.get("input0").fill((byte) 0);
            assertThat(firstDifference(run(m, in, out), sum(new float[N], b)))
                    .as("after a fill")
                    .isEqualTo(-1);

            float[] c = random(rnd);
            try (Tensor other = rt.allocate("other", (long) N * Float.BYTES, m.core())) {
                other.write(c);
                other.copyTo(in.get("input0"));
                assertThat(firstDifference(run(m, in, out), sum(c, b)))
                        .as("after a copy into it")
                        .isEqualTo(-1);

                float[] d = random(rnd);
                other.write(d);
                in.put("input0", other);
                assertThat(firstDifference(run(m, in, out), sum(d, b)))
                        .as("with another tensor in the set")
                        .isEqualTo(-1);
            }
        }
    }
}
