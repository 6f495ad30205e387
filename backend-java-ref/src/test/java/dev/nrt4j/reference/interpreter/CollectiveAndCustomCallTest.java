package dev.nrt4j.reference.interpreter;

import static dev.nrt4j.reference.interpreter.TestModules.dims;
import static dev.nrt4j.reference.interpreter.TestModules.f32;
import static dev.nrt4j.reference.interpreter.TestModules.shape;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.nrt4j.BFloat16;
import dev.nrt4j.NeuronException;
import dev.nrt4j.Status;
import dev.nrt4j.hlo.ElementType;
import dev.nrt4j.hlo.HloInstruction;
import dev.nrt4j.hlo.HloModule;
import dev.nrt4j.hlo.HloOpcode;
import dev.nrt4j.hlo.HloShape;
import dev.nrt4j.hlo.SourceTargetPair;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

class CollectiveAndCustomCallTest {
    private static final HloShape V = shape(ElementType.F32, 3);
    private static final OpRegistry REGISTRY = registry();

    private static OpRegistry registry() {
        OpRegistry r = TestModules.registryWithScalarStubs();
        CollectiveOps.registerAll(r);
        CustomCallOps.registerAll(r);
        return r;
    }

    private static HloModule unary(
            HloOpcode opcode, HloShape in, HloShape out, UnaryOperator<HloInstruction.Builder> attrs) {
        TestModules m = new TestModules();
        String r = m.binaryReducer("sum", HloOpcode.ADD, ElementType.F32, false);
        TestModules.Comp e = m.computation("entry");
        String x = e.param(in);
        e.op(
                opcode,
                out,
                List.of(x),
                b -> attrs.apply(b)
                        .calledComputations(
                                opcode == HloOpcode.ALL_REDUCE || opcode == HloOpcode.REDUCE_SCATTER
                                        ? List.of(r)
                                        : List.of()));
        return m.build();
    }

    private static Value run(HloModule m, int replica, int replicas, Value... args) {
        return new Evaluator(m, REGISTRY, 1).run(List.of(args), Long.MAX_VALUE, replica, replicas);
    }

    @Test
    void singleReplicaCollectivesAreTheIdentity() {
        Array x = f32(dims(3), 1, 2, 3);
        for (HloOpcode op : List.of(
                HloOpcode.ALL_REDUCE,
                HloOpcode.ALL_GATHER,
                HloOpcode.REDUCE_SCATTER,
                HloOpcode.ALL_TO_ALL,
                HloOpcode.COLLECTIVE_BROADCAST)) {
            HloModule m =
                    unary(op, V, V, b -> b.replicaGroups(List.of(List.of(0L))).dimensions(List.of(0L)));
            assertThat(run(m, 0, 1, x).asArray().floats()).as(op.text()).containsExactly(1f, 2f, 3f);
        }
        HloModule noGroups = unary(HloOpcode.ALL_REDUCE, V, V, b -> b);
        assertThat(run(noGroups, 0, 1, x).asArray().floats()).containsExactly(1f, 2f, 3f);
    }

    @Test
    void groupsLargerThanOneAndMultipleReplicasAreRefused() {
        Array x = f32(dims(3), 1, 2, 3);
        HloModule pairs = unary(HloOpcode.ALL_REDUCE, V, V, b -> b.replicaGroups(List.of(List.of(0L, 1L))));
        assertThatThrownBy(() -> run(pairs, 0, 1, x))
                .isInstanceOf(NeuronException.class)
                .hasMessageContaining("[0, 1]");
        HloModule m = unary(HloOpcode.ALL_REDUCE, V, V, b -> b);
        assertThatThrownBy(() -> run(m, 1, 4, x))
                .isInstanceOfSatisfying(
                        NeuronException.class, e -> assertThat(e.status()).isEqualTo(Status.INVALID))
                .hasMessageContaining("multi-core loader");
        HloModule gather = unary(HloOpcode.ALL_GATHER, V, shape(ElementType.F32, 6), b -> b.dimensions(List.of(0L)));
        assertThatThrownBy(() -> run(gather, 0, 1, x))
                .isInstanceOf(NeuronException.class)
                .hasMessageContaining("f32[6]");
    }

    @Test
    void collectivePermuteReceivesOnlyFromAPairTargetingThisReplica() {
        Array x = f32(dims(3), 1, 2, 3);
        HloModule self = unary(
                HloOpcode.COLLECTIVE_PERMUTE, V, V, b -> b.sourceTargetPairs(List.of(new SourceTargetPair(0, 0))));
        assertThat(run(self, 0, 1, x).asArray().floats()).containsExactly(1f, 2f, 3f);
        HloModule none = unary(HloOpcode.COLLECTIVE_PERMUTE, V, V, b -> b.sourceTargetPairs(List.of()));
        assertThat(run(none, 0, 1, x).asArray().floats()).containsExactly(0f, 0f, 0f);
    }

    @Test
    void replicaAndPartitionIds() {
        for (HloOpcode op : List.of(HloOpcode.REPLICA_ID, HloOpcode.PARTITION_ID)) {
            TestModules m = new TestModules();
            m.computation("entry").op(op, shape(ElementType.U32), List.of());
            assertThat(run(m.build(), 0, 1).asArray().ints()).as(op.text()).containsExactly(0);
        }
    }

    private static Array customCall(String target, Array x, HloShape out) {
        TestModules m = new TestModules();
        TestModules.Comp e = m.computation("entry");
        String p = e.param(x.shape());
        e.op(HloOpcode.CUSTOM_CALL, out, List.of(p), b -> b.customCallTarget(target));
        return run(m.build(), 0, 1, x).asArray();
    }

    @Test
    void shardingAnnotationsPassValuesThrough() {
        Array x = f32(dims(3), 1, 2, 3);
        assertThat(customCall("xla.sdy.FuncResultSharding", x, V)).isSameAs(x);
        assertThat(customCall("AwsNeuronModuleMarkerStart-Forward", x, V)).isSameAs(x);
        assertThatThrownBy(() -> customCall("xla.sdy.GlobalToLocalShape", x, shape(ElementType.F32, 1)))
                .isInstanceOf(NeuronException.class)
                .hasMessageContaining("partitioned");
        assertThat(CustomCallTarget.fromName("xla.sdy.LocalToGlobalShape"))
                .contains(CustomCallTarget.SDY_LOCAL_TO_GLOBAL_SHAPE);
        assertThat(CustomCallTarget.fromName("AwsNeuronTopK")).isEmpty();
    }

    @Test
    void neuronActivations() {
        Array x = Array.wrap(ElementType.F64, dims(5), new double[] {0.5, 1, 2, 3, -1.5});
        HloShape s = x.shape();
        // erf reference values (Abramowitz & Stegun table 7.1, to 16 digits)
        assertThat(customCall("AwsNeuronErf", x, s).doubles())
                .containsExactly(
                        new double[] {
                            0.5204998778130465,
                            0.8427007929497149,
                            0.9953222650189527,
                            0.9999779095030014,
                            -0.9661051464753108
                        },
                        within(1e-15));
        assertThat(CustomCallOps.erf(4.5)).isCloseTo(1 - 1.966160441542887e-10, within(1e-16));
        Array one = Array.wrap(ElementType.F64, dims(1), new double[] {1});
        // gelu(1) = 0.5 (1 + erf(1/sqrt 2)) = 0.8413447460685429; silu(1) = 1/(1+e^-1)
        assertThat(customCall("AwsNeuronGelu", one, one.shape()).doubles()[0])
                .isCloseTo(0.8413447460685429, within(1e-15));
        assertThat(customCall("AwsNeuronSilu", one, one.shape()).doubles()[0])
                .isCloseTo(0.7310585786300049, within(1e-15));
        assertThat(customCall("AwsNeuronGeluApprxTanh", one, one.shape()).doubles()[0])
                .isCloseTo(0.5 * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * 1.044715)), within(1e-15));
        Array b = Array.wrap(ElementType.BF16, dims(1), new short[] {BFloat16.fromFloat(1f)});
        assertThat(customCall("AwsNeuronErf", b, b.shape()).shorts()[0]).isEqualTo(BFloat16.fromFloat(0.8427008f));
    }

    /** A target in the vocabulary without a kernel would pass the load-time check and then fail as a bug. */
    @Test
    void everyTargetOfTheVocabularyRuns() {
        Array x = f32(dims(3), 1, 2, 3);
        for (CustomCallTarget t : CustomCallTarget.values()) {
            Array out = customCall(t.text(), x, V);
            if (t.passesThrough()) {
                assertThat(out).as(t.text()).isSameAs(x);
            } else {
                assertThat(out.dims()).as(t.text()).containsExactly(3);
            }
        }
    }

    @Test
    void otherTargetsAreRefusedByName() {
        Array x = f32(dims(3), 1, 2, 3);
        assertThatThrownBy(() -> customCall("AwsNeuronTopK", x, V))
                .isInstanceOfSatisfying(
                        NeuronException.class, e -> assertThat(e.status()).isEqualTo(Status.INVALID))
                .hasMessageContaining("\"AwsNeuronTopK\"");
    }
}
