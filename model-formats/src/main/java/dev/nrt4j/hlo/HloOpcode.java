package dev.nrt4j.hlo;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The opcodes of XLA's HLO, each with the name HLO text (and the {@code opcode} field of
 * {@code HloInstructionProto}) spells it: the whole vocabulary of XLA's {@code HloOpcode}, not only
 * what nrt4j can execute. It is the one list of what an instruction can be: both HLO readers refuse
 * any other name when they read a module, so every {@link HloInstruction} holds one of these, and
 * what a backend or the type checker supports is a set of these constants.
 *
 * <p>Immutable and thread-safe.
 */
public enum HloOpcode {
    ABS("abs"),
    ACOS("acos"),
    ACOSH("acosh"),
    ADD("add"),
    ADD_DEPENDENCY("add-dependency"),
    AFTER_ALL("after-all"),
    ALL_GATHER("all-gather"),
    ALL_GATHER_DONE("all-gather-done"),
    ALL_GATHER_START("all-gather-start"),
    ALL_REDUCE("all-reduce"),
    ALL_REDUCE_DONE("all-reduce-done"),
    ALL_REDUCE_START("all-reduce-start"),
    ALL_TO_ALL("all-to-all"),
    AND("and"),
    ASIN("asin"),
    ASINH("asinh"),
    ASYNC_DONE("async-done"),
    ASYNC_START("async-start"),
    ASYNC_UPDATE("async-update"),
    ATAN("atan"),
    ATAN2("atan2"),
    ATANH("atanh"),
    BATCH_NORM_GRAD("batch-norm-grad"),
    BATCH_NORM_INFERENCE("batch-norm-inference"),
    BATCH_NORM_TRAINING("batch-norm-training"),
    BITCAST("bitcast"),
    BITCAST_CONVERT("bitcast-convert"),
    BROADCAST("broadcast"),
    CALL("call"),
    CBRT("cbrt"),
    CEIL("ceil"),
    CHOLESKY("cholesky"),
    CLAMP("clamp"),
    COLLECTIVE_BROADCAST("collective-broadcast"),
    COLLECTIVE_PERMUTE("collective-permute"),
    COLLECTIVE_PERMUTE_DONE("collective-permute-done"),
    COLLECTIVE_PERMUTE_START("collective-permute-start"),
    COLLECTIVE_REDUCE("collective-reduce"),
    COMPARE("compare"),
    COMPLEX("complex"),
    CONCATENATE("concatenate"),
    CONDITIONAL("conditional"),
    CONSTANT("constant"),
    CONVERT("convert"),
    CONVOLUTION("convolution"),
    COPY("copy"),
    COPY_DONE("copy-done"),
    COPY_START("copy-start"),
    COSH("cosh"),
    COSINE("cosine"),
    COUNT_LEADING_ZEROS("count-leading-zeros"),
    CUSTOM_CALL("custom-call"),
    DIVIDE("divide"),
    DOMAIN("domain"),
    DOT("dot"),
    DYNAMIC_RESHAPE("dynamic-reshape"),
    DYNAMIC_SLICE("dynamic-slice"),
    DYNAMIC_UPDATE_SLICE("dynamic-update-slice"),
    ERF("erf"),
    EXPONENTIAL("exponential"),
    EXPONENTIAL_MINUS_ONE("exponential-minus-one"),
    FFT("fft"),
    FLOOR("floor"),
    FUSION("fusion"),
    GATHER("gather"),
    GET_DIMENSION_SIZE("get-dimension-size"),
    GET_TUPLE_ELEMENT("get-tuple-element"),
    IMAG("imag"),
    INFEED("infeed"),
    IOTA("iota"),
    IS_FINITE("is-finite"),
    LOG("log"),
    LOG_PLUS_ONE("log-plus-one"),
    LOGISTIC("logistic"),
    MAP("map"),
    MAXIMUM("maximum"),
    MINIMUM("minimum"),
    MULHI("mulhi"),
    MULTIPLY("multiply"),
    NEGATE("negate"),
    NOT("not"),
    OPT_BARRIER("opt-barrier"),
    OR("or"),
    OUTFEED("outfeed"),
    PAD("pad"),
    PARAMETER("parameter"),
    PARTITION_ID("partition-id"),
    POPCNT("popcnt"),
    POWER("power"),
    RAGGED_ALL_TO_ALL("ragged-all-to-all"),
    RAGGED_DOT("ragged-dot"),
    REAL("real"),
    RECV("recv"),
    RECV_DONE("recv-done"),
    REDUCE("reduce"),
    REDUCE_PRECISION("reduce-precision"),
    REDUCE_SCATTER("reduce-scatter"),
    REDUCE_WINDOW("reduce-window"),
    REMAINDER("remainder"),
    REPLICA_ID("replica-id"),
    RESHAPE("reshape"),
    REVERSE("reverse"),
    RNG("rng"),
    RNG_BIT_GENERATOR("rng-bit-generator"),
    RNG_GET_AND_UPDATE_STATE("rng-get-and-update-state"),
    ROUND_NEAREST_AFZ("round-nearest-afz"),
    ROUND_NEAREST_EVEN("round-nearest-even"),
    RSQRT("rsqrt"),
    SCALED_DOT("scaled-dot"),
    SCAN("scan"),
    SCATTER("scatter"),
    SELECT("select"),
    SELECT_AND_SCATTER("select-and-scatter"),
    SEND("send"),
    SEND_DONE("send-done"),
    SET_DIMENSION_SIZE("set-dimension-size"),
    SHIFT_LEFT("shift-left"),
    SHIFT_RIGHT_ARITHMETIC("shift-right-arithmetic"),
    SHIFT_RIGHT_LOGICAL("shift-right-logical"),
    SHUFFLE("shuffle"),
    SIGN("sign"),
    SINE("sine"),
    SINH("sinh"),
    SLICE("slice"),
    SORT("sort"),
    SQRT("sqrt"),
    STOCHASTIC_CONVERT("stochastic-convert"),
    SUBTRACT("subtract"),
    TAN("tan"),
    TANH("tanh"),
    TOPK("topk"),
    TRANSPOSE("transpose"),
    TRIANGULAR_SOLVE("triangular-solve"),
    TUPLE("tuple"),
    WHILE("while"),
    XOR("xor");

    private static final Map<String, HloOpcode> BY_TEXT = byText();

    private final String text;

    HloOpcode(String text) {
        this.text = text;
    }

    private static Map<String, HloOpcode> byText() {
        Map<String, HloOpcode> m = new HashMap<>();
        for (HloOpcode o : values()) {
            m.put(o.text, o);
        }
        return Map.copyOf(m);
    }

    /** The name as HLO text writes it, e.g. {@code dynamic-slice}. */
    public String text() {
        return text;
    }

    /**
     * The opcode HLO text names {@code name} (exactly: XLA's names are lower case), or empty for a name
     * that is not one of XLA's opcodes.
     */
    public static Optional<HloOpcode> fromName(String name) {
        return Optional.ofNullable(BY_TEXT.get(name));
    }

    /** The HLO text name, so that messages read like the program they describe. */
    @Override
    public String toString() {
        return text;
    }
}
