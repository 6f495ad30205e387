package dev.nrt4j.reference.interpreter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nrt4j.NeuronException;
import dev.nrt4j.Status;
import dev.nrt4j.hlo.HloModule;
import dev.nrt4j.hlo.text.HloTextParser;
import dev.nrt4j.testsupport.HostileHlo;
import dev.nrt4j.testsupport.Needs;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Programs that would exhaust the Java stack or heap end with a status instead of an Error. */
class ResourceLimitsTest {
    @Test
    void aChainOfCallsDeeperThanTheLimitIsRefusedAtLoadNamingTheLimit() {
        HloModule deep = HloTextParser.parse(HostileHlo.callChain(1500), "deep");
        long start = System.nanoTime();
        assertThatThrownBy(() -> new Evaluator(deep, OpRegistry.standard(), 1))
                .isInstanceOfSatisfying(
                        NeuronException.class, e -> assertThat(e.status()).isEqualTo(Status.INVALID))
                .hasMessageContaining("at most " + CallDepth.MAX + " nested computations");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
    }

    @Test
    void aChainJustWithinTheLimitRuns() {
        // The entry plus MAX - 1 called computations.
        HloModule ok = HloTextParser.parse(HostileHlo.callChain(CallDepth.MAX - 1), "ok");
        Value out = new Evaluator(ok, OpRegistry.standard(), 1)
                .run(
                        List.of(Array.wrap(dev.nrt4j.hlo.ElementType.S32, new long[0], new int[] {41})),
                        Long.MAX_VALUE,
                        0,
                        1);
        assertThat(out.asArray().getLong(0)).isEqualTo(42);
        HloModule over = HloTextParser.parse(HostileHlo.callChain(CallDepth.MAX), "over");
        assertThatThrownBy(() -> new Evaluator(over, OpRegistry.standard(), 1))
                .isInstanceOfSatisfying(
                        NeuronException.class, e -> assertThat(e.status()).isEqualTo(Status.INVALID));
    }

    @Test
    void anIntermediateLargerThanTheHeapIsRefusedBeforeItIsAllocated() {
        long bytes = 1_000_000_000L * 16;
        Needs.that(
                Runtime.getRuntime().maxMemory() < bytes,
                "a JVM heap smaller than 16 GB, so that c128[1000000000] cannot fit");
        HloModule huge = HloTextParser.parse(
                "HloModule huge\nENTRY e {\n  z = c128[] constant((0, 0))\n"
                        + "  ROOT b = c128[1000000000] broadcast(z), dimensions={}\n}\n",
                "huge");
        long start = System.nanoTime();
        assertThatThrownBy(() -> new Evaluator(huge, OpRegistry.standard(), 1).run(List.of(), Long.MAX_VALUE, 0, 1))
                .isInstanceOfSatisfying(
                        NeuronException.class, e -> assertThat(e.status()).isEqualTo(Status.RESOURCE))
                .hasMessageContaining("b (c128[1000000000]")
                .hasMessageContaining("NRT4J_JAVA_OPTS=-Xmx");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
    }

    @Test
    void anIntermediateLargerThanTheCoresMemoryIsRefused() {
        HloModule big = HloTextParser.parse(
                "HloModule big\nENTRY e {\n  z = f32[] constant(0)\n"
                        + "  ROOT b = f32[8388608] broadcast(z), dimensions={}\n}\n",
                "big");
        Evaluator small = new Evaluator(big, OpRegistry.standard(), 1, new MemoryGuard(16L << 20));
        assertThatThrownBy(() -> small.run(List.of(), Long.MAX_VALUE, 0, 1))
                .isInstanceOfSatisfying(
                        NeuronException.class, e -> assertThat(e.status()).isEqualTo(Status.RESOURCE))
                .hasMessageContaining("33554432 bytes")
                .hasMessageContaining("core's 16777216 bytes of device memory");
        // The same program fits a core with room for it.
        Array ok = new Evaluator(big, OpRegistry.standard(), 1, new MemoryGuard(64L << 20))
                .run(List.of(), Long.MAX_VALUE, 0, 1)
                .asArray();
        assertThat(ok.size()).isEqualTo(8388608);
    }

    @Test
    void arraysLargerThanTheHeapAreRefusedWhereverTheyAreAllocated() {
        Needs.that(Runtime.getRuntime().maxMemory() < 8L * 1_000_000_000L, "a JVM heap smaller than 8 GB");
        assertThatThrownBy(() -> Array.allocate(dev.nrt4j.hlo.ElementType.F64, 1_000_000_000L))
                .isInstanceOfSatisfying(
                        NeuronException.class, e -> assertThat(e.status()).isEqualTo(Status.RESOURCE))
                .hasMessageContaining("NRT4J_JAVA_OPTS=-Xmx");
    }
}
