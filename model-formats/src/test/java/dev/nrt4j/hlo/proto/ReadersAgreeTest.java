package dev.nrt4j.hlo.proto;

import static dev.nrt4j.hlo.proto.HandMadeHlo.F32;
import static dev.nrt4j.hlo.proto.HandMadeHlo.array;
import static dev.nrt4j.hlo.proto.HandMadeHlo.computation;
import static dev.nrt4j.hlo.proto.HandMadeHlo.ins;
import static dev.nrt4j.hlo.proto.HandMadeHlo.module;
import static dev.nrt4j.hlo.proto.HandMadeHlo.parameter;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.nrt4j.NeuronException;
import dev.nrt4j.Status;
import dev.nrt4j.hlo.HloInstruction;
import dev.nrt4j.hlo.HloModule;
import dev.nrt4j.hlo.ReplicaGroups;
import dev.nrt4j.hlo.proto.schema.HloComputationProto;
import dev.nrt4j.hlo.proto.schema.HloInstructionProto;
import dev.nrt4j.hlo.proto.schema.HloModuleProto;
import dev.nrt4j.hlo.proto.schema.IotaReplicaGroupListProto;
import dev.nrt4j.hlo.proto.schema.ReplicaGroup;
import dev.nrt4j.hlo.proto.schema.ShapeProto;
import dev.nrt4j.hlo.text.HloTextParser;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

/**
 * The text and proto readers share replica-group expansion ({@link ReplicaGroups}) and graph checks
 * ({@link dev.nrt4j.hlo.HloModuleAssembler}): the same module, written both ways, is accepted by
 * both or refused by both with INVALID and the same detail. The text adds its line:column; where the
 * text names an operand or computation the proto says "id N".
 */
class ReadersAgreeTest {
    private static final String SOURCE = "agree";
    private static final Pattern TEXT_FAILURE = Pattern.compile("read HLO agree failed \\[INVALID\\]: \\d+:\\d+: (.*)");
    private static final Pattern PROTO_FAILURE = Pattern.compile("read HLO agree failed \\[INVALID\\]: (.*)");
    private static final ShapeProto F = array(F32);

    // --------------------------------------------------------------------------- replica-group limits

    @Test
    void anIotaListJustUnderTheLimitIsReadByBothAndJustOverIsRefusedByBoth() {
        int n = ReplicaGroups.MAX_MEMBERS;
        assertThat(textIota(n).replicaGroups())
                .isEqualTo(protoIota(n).replicaGroups())
                .containsExactly(LongStream.range(0, n).boxed().toList());
        String text = textDetail(() -> textIota(n + 1));
        assertThat(text).contains(String.valueOf(n));
        assertThat(protoDetail(() -> protoIota(n + 1))).endsWith(": " + text);
    }

    @Test
    void anExplicitListJustUnderTheLimitIsReadByBothAndJustOverIsRefusedByBoth() {
        int n = ReplicaGroups.MAX_MEMBERS;
        assertThat(textExplicit(n).replicaGroups())
                .isEqualTo(protoExplicit(n).replicaGroups())
                .hasSize(1);
        String text = textDetail(() -> textExplicit(n + 1));
        assertThat(text).contains(String.valueOf(n + 1)).contains(String.valueOf(n));
        assertThat(protoDetail(() -> protoExplicit(n + 1))).endsWith(": " + text);
    }

    @Test
    void compactListsShareOneBudgetPerModuleInBothReaders() {
        long lists = ReplicaGroups.MAX_EXPANDED_PER_MODULE / ReplicaGroups.MAX_MEMBERS;
        int n = ReplicaGroups.MAX_MEMBERS;
        assertThat(textIotas((int) lists, n).entry().instructions()).hasSize((int) lists + 1);
        assertThat(protoIotas((int) lists, n).entry().instructions()).hasSize((int) lists + 1);
        String text = textDetail(() -> textIotas((int) lists + 1, n));
        assertThat(text).contains(String.valueOf(ReplicaGroups.MAX_EXPANDED_PER_MODULE));
        assertThat(protoDetail(() -> protoIotas((int) lists + 1, n))).endsWith(": " + text);
    }

    private static HloInstruction textIota(int members) {
        return textIotas(1, members).entry().instructions().get(1);
    }

    private static HloInstruction protoIota(int members) {
        return protoIotas(1, members).entry().instructions().get(1);
    }

    /** {@code lists} collective-broadcasts, each over one iota group of {@code members} devices. */
    private static HloModule textIotas(int lists, int members) {
        StringBuilder b = new StringBuilder("HloModule m\nENTRY e {\n  p = f32[] parameter(0)\n");
        for (int i = 0; i < lists; i++) {
            b.append("  c")
                    .append(i)
                    .append(" = f32[] collective-broadcast(p), replica_groups=[1,")
                    .append(members)
                    .append("]<=[")
                    .append(members)
                    .append("]\n");
        }
        return HloTextParser.parse(b.append("}\n").toString(), SOURCE);
    }

    private static HloModule protoIotas(int lists, int members) {
        IotaReplicaGroupListProto iota = IotaReplicaGroupListProto.newBuilder()
                .setNumReplicaGroups(1)
                .setNumDevicesPerGroup(members)
                .addIotaReshapeDims(members)
                .build();
        HloInstructionProto.Builder[] body = new HloInstructionProto.Builder[lists + 1];
        body[0] = parameter(1, "p", 0, F);
        for (int i = 0; i < lists; i++) {
            body[i + 1] = ins(2 + i, "c" + i, "collective-broadcast", F, 1).setIotaCollectiveDeviceList(iota);
        }
        return readProto(module("m", computation(1, "e", 1 + lists, body)));
    }

    private static HloInstruction textExplicit(int members) {
        String ids = LongStream.range(0, members).mapToObj(Long::toString).collect(Collectors.joining(","));
        return HloTextParser.parse(
                        "HloModule m\nENTRY e {\n  p = f32[] parameter(0)\n"
                                + "  ROOT c = f32[] collective-broadcast(p), replica_groups={{" + ids + "}}\n}\n",
                        SOURCE)
                .entry()
                .root();
    }

    private static HloInstruction protoExplicit(int members) {
        ReplicaGroup group = ReplicaGroup.newBuilder()
                .addAllReplicaIds(LongStream.range(0, members).boxed().toList())
                .build();
        return readProto(module(
                        "m",
                        computation(
                                1,
                                "e",
                                2,
                                parameter(1, "p", 0, F),
                                ins(2, "c", "collective-broadcast", F, 1).addReplicaGroups(group))))
                .entry()
                .root();
    }

    // --------------------------------------------------------------------------------- graph defects

    @Test
    void anOperandThatNamesNothingIsRefusedByBoth() {
        String text = textDetail(() -> HloTextParser.parse(
                "HloModule m\nENTRY e {\n  p = f32[] parameter(0)\n  ROOT b = f32[] add(p, nope)\n}\n", SOURCE));
        String proto = protoDetail(() ->
                readProto(module("m", computation(1, "e", 2, parameter(1, "p", 0, F), ins(2, "b", "add", F, 1, 99)))));
        assertThat(text)
                .isEqualTo("instruction 'b' in computation 'e' uses operand 'nope', which is not defined there");
        assertThat(proto).isEqualTo(text.replace("'nope'", "id 99"));
    }

    @Test
    void aCalledComputationThatDoesNotExistIsRefusedByBoth() {
        String text = textDetail(() -> HloTextParser.parse(
                "HloModule m\nENTRY e {\n  p = f32[] parameter(0)\n  ROOT b = f32[] call(p), to_apply=missing\n}\n",
                SOURCE));
        String proto = protoDetail(() -> readProto(module(
                "m",
                computation(
                        1,
                        "e",
                        2,
                        parameter(1, "p", 0, F),
                        ins(2, "b", "call", F, 1).addCalledComputationIds(77)))));
        assertThat(text)
                .isEqualTo("instruction 'b' in computation 'e' calls computation 'missing', which is not defined");
        assertThat(proto).isEqualTo(text.replace("'missing'", "id 77"));
    }

    @Test
    void aCycleAmongInstructionsIsRefusedByBoth() {
        String text = textDetail(() -> HloTextParser.parse(
                "HloModule m\nENTRY e {\n  p = f32[] parameter(0)\n"
                        + "  a = f32[] add(p, b)\n  b = f32[] negate(a)\n  ROOT r = f32[] copy(b)\n}\n",
                SOURCE));
        String proto = protoDetail(() -> readProto(module(
                "m",
                computation(
                        1,
                        "e",
                        4,
                        parameter(1, "p", 0, F),
                        ins(2, "a", "add", F, 1, 3),
                        ins(3, "b", "negate", F, 2),
                        ins(4, "r", "copy", F, 3)))));
        assertThat(text).contains("'a', 'b', 'r'").contains("cycle");
        assertThat(proto).isEqualTo(text);
    }

    @Test
    void recursionAmongComputationsIsRefusedByBoth() {
        String text = textDetail(() -> HloTextParser.parse(
                "HloModule m\nf {\n  x = f32[] parameter(0)\n"
                        + "  ROOT y = f32[] call(x), to_apply=f\n}\nENTRY e {\n  x = f32[] parameter(0)\n"
                        + "  ROOT y = f32[] call(x), to_apply=f\n}\n",
                SOURCE));
        HloComputationProto f = computation(
                1, "f", 2, parameter(1, "x", 0, F), ins(2, "y", "call", F, 1).addCalledComputationIds(1));
        HloComputationProto e = computation(
                3, "e", 2, parameter(1, "x", 0, F), ins(2, "y", "call", F, 1).addCalledComputationIds(1));
        String proto = protoDetail(() -> readProto(module("m", f, e)));
        assertThat(text).contains("'f', 'e'").contains("recursion");
        assertThat(proto).isEqualTo(text);
    }

    @Test
    void misnumberedParametersAndEmptyComputationsAreRefusedByBoth() {
        String text = textDetail(() -> HloTextParser.parse(
                "HloModule m\nENTRY e {\n  p = f32[] parameter(0)\n  ROOT q = f32[] parameter(2)\n}\n", SOURCE));
        String proto = protoDetail(() ->
                readProto(module("m", computation(1, "e", 2, parameter(1, "p", 0, F), parameter(2, "q", 2, F)))));
        assertThat(text).isEqualTo("computation 'e' must number its 2 parameters 0..1 once each; 'q' is parameter(2)");
        assertThat(proto).isEqualTo(text);

        String emptyText = textDetail(() ->
                HloTextParser.parse("HloModule m\ng {\n}\nENTRY e {\n  ROOT p = f32[] parameter(0)\n}\n", SOURCE));
        String emptyProto = protoDetail(() ->
                readProto(module("m", computation(1, "g", 0), computation(2, "e", 1, parameter(1, "p", 0, F)))));
        assertThat(emptyText).isEqualTo("computation 'g' has no instructions");
        assertThat(emptyProto).isEqualTo(emptyText);
    }

    // ------------------------------------------------------------------------------------------ helpers

    private static HloModule readProto(HloModuleProto m) {
        return HloProtoReader.read(m.toByteArray(), SOURCE);
    }

    /** The detail of a text failure, after its line:column. */
    private static String textDetail(Runnable read) {
        return detail(read, TEXT_FAILURE);
    }

    private static String protoDetail(Runnable read) {
        return detail(read, PROTO_FAILURE);
    }

    private static String detail(Runnable read, Pattern form) {
        NeuronException e = catchThrowableOfType(NeuronException.class, read::run);
        assertThat(e).as("reading should have failed").isNotNull();
        assertThat(e.status()).isEqualTo(Status.INVALID);
        Matcher m = form.matcher(e.getMessage());
        assertThat(m.matches()).as("message: %s", e.getMessage()).isTrue();
        return m.group(1);
    }
}
