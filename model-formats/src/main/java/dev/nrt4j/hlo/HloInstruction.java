package dev.nrt4j.hlo;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One instruction of an {@link HloComputation}: its {@link HloOpcode}, result shape, operands, called
 * computations, and the attributes its opcode uses (XLA's {@code HloInstructionProto}, minus what only compilers need). Attributes an
 * opcode does not use are absent (empty, -1 or the documented default).
 *
 * <p>Instructions are made by the HLO readers through {@link Builder}; the IR is immutable and
 * thread-safe once built.
 */
public final class HloInstruction {
    private final String name;
    private final HloOpcode opcode;
    private final HloShape shape;
    private final int index;
    private final List<HloInstruction> operands;
    private final List<HloComputation> calledComputations;
    private final Builder a;

    HloInstruction(Builder b, int index, List<HloInstruction> operands, List<HloComputation> calledComputations) {
        this.name = b.name;
        this.opcode = b.opcode;
        this.shape = b.shape;
        this.index = index;
        this.operands = List.copyOf(operands);
        this.calledComputations = List.copyOf(calledComputations);
        this.a = b.snapshot();
    }

    /** A builder; {@code key} is how other instructions of the same computation name it as an operand. */
    public static Builder builder(String key, String name, HloOpcode opcode, HloShape shape) {
        return new Builder(key, name, opcode, shape);
    }

    /** The instruction's name, without a leading {@code %}. */
    public String name() {
        return name;
    }

    /** The opcode; {@link HloOpcode#text()} is its name as HLO text writes it. */
    public HloOpcode opcode() {
        return opcode;
    }

    /** The result shape (layouts as the source wrote them). */
    public HloShape shape() {
        return shape;
    }

    /** Position in its computation's {@link HloComputation#instructions()}, which lists operands before users. */
    public int index() {
        return index;
    }

    /** Operands, in order. */
    public List<HloInstruction> operands() {
        return operands;
    }

    /** Operand {@code i}. */
    public HloInstruction operand(int i) {
        return operands.get(i);
    }

    /**
     * Called computations, in XLA's order: the reducer of reduce/scatter/sort/all-reduce, the body
     * then the condition of {@code while}, the branches of {@code conditional}, the callee of
     * {@code call}/{@code fusion}/{@code map}, select then scatter of {@code select-and-scatter}.
     */
    public List<HloComputation> calledComputations() {
        return calledComputations;
    }

    /** The parameter number of a {@code parameter}, or -1. */
    public long parameterNumber() {
        return a.parameterNumber;
    }

    /** The literal of a {@code constant}. */
    public Optional<HloLiteral> literal() {
        return Optional.ofNullable(a.literal);
    }

    /** The index of a {@code get-tuple-element}, or -1. */
    public long tupleIndex() {
        return a.tupleIndex;
    }

    /**
     * The {@code dimensions} attribute: broadcast, reduce, transpose (the permutation), reverse,
     * concatenate, sort, all-gather, reduce-scatter, all-to-all; {@code iota} keeps its dimension here too.
     */
    public List<Long> dimensions() {
        return a.dimensions;
    }

    /** The window of convolution, reduce-window and select-and-scatter. */
    public Optional<Window> window() {
        return Optional.ofNullable(a.window);
    }

    /** The dimension numbers of a convolution. */
    public Optional<ConvolutionDimensions> convolutionDimensions() {
        return Optional.ofNullable(a.convolutionDimensions);
    }

    /** The {@code feature_group_count} of a convolution (1 unless grouped). */
    public long featureGroupCount() {
        return a.featureGroupCount;
    }

    /** The {@code batch_group_count} of a convolution (1 unless grouped). */
    public long batchGroupCount() {
        return a.batchGroupCount;
    }

    /** The bounds of a {@code slice}. */
    public List<SliceDimension> slice() {
        return a.slice;
    }

    /** The slice sizes of a {@code dynamic-slice}. */
    public List<Long> dynamicSliceSizes() {
        return a.dynamicSliceSizes;
    }

    /** The padding of a {@code pad}, one entry per dimension. */
    public List<PaddingDimension> padding() {
        return a.padding;
    }

    /** The dimension numbers of a {@code dot}. */
    public Optional<DotDimensions> dotDimensions() {
        return Optional.ofNullable(a.dotDimensions);
    }

    /** The dimension numbers of a {@code gather}. */
    public Optional<GatherDimensions> gatherDimensions() {
        return Optional.ofNullable(a.gatherDimensions);
    }

    /** The slice sizes of a {@code gather}. */
    public List<Long> gatherSliceSizes() {
        return a.gatherSliceSizes;
    }

    /** The dimension numbers of a {@code scatter}. */
    public Optional<ScatterDimensions> scatterDimensions() {
        return Optional.ofNullable(a.scatterDimensions);
    }

    /** The direction of a {@code compare}: EQ, NE, GE, GT, LE or LT. */
    public Optional<String> comparisonDirection() {
        return Optional.ofNullable(a.comparisonDirection);
    }

    /** The type of a {@code compare}: FLOAT, TOTALORDER, SIGNED or UNSIGNED; empty for the element type's default. */
    public Optional<String> comparisonType() {
        return Optional.ofNullable(a.comparisonType);
    }

    /** Whether a {@code sort} is stable. */
    public boolean isStable() {
        return a.isStable;
    }

    /** Whether gather/scatter indices are promised sorted. */
    public boolean indicesAreSorted() {
        return a.indicesAreSorted;
    }

    /** Whether scatter indices are promised unique. */
    public boolean uniqueIndices() {
        return a.uniqueIndices;
    }

    /** The target of a {@code custom-call}. */
    public Optional<String> customCallTarget() {
        return Optional.ofNullable(a.customCallTarget);
    }

    /** The backend configuration (text for most producers), or empty. */
    public Optional<String> backendConfig() {
        return Optional.ofNullable(a.backendConfig);
    }

    /** The replica groups of a collective; empty means one group of all participants. */
    public List<List<Long>> replicaGroups() {
        return a.replicaGroups;
    }

    /** The channel id of a collective, or 0 for none. */
    public long channelId() {
        return a.channelId;
    }

    /** Whether a collective's groups hold global device ids. */
    public boolean useGlobalDeviceIds() {
        return a.useGlobalDeviceIds;
    }

    /** The pairs of a {@code collective-permute}. */
    public List<SourceTargetPair> sourceTargetPairs() {
        return a.sourceTargetPairs;
    }

    /** The algorithm of {@code rng-bit-generator} (e.g. {@code rng_default}, {@code rng_three_fry}, {@code rng_philox}), or empty. */
    public Optional<String> rngAlgorithm() {
        return Optional.ofNullable(a.rngAlgorithm);
    }

    /** The distribution of {@code rng} ({@code rng_uniform}, {@code rng_normal}), or empty. */
    public Optional<String> rngDistribution() {
        return Optional.ofNullable(a.rngDistribution);
    }

    /** Exponent bits of {@code reduce-precision}, or -1. */
    public int exponentBits() {
        return a.exponentBits;
    }

    /** Mantissa bits of {@code reduce-precision}, or -1. */
    public int mantissaBits() {
        return a.mantissaBits;
    }

    /** The kind of a {@code fusion} (kLoop, kInput, kOutput, kCustom), or empty. */
    public Optional<String> fusionKind() {
        return Optional.ofNullable(a.fusionKind);
    }

    /** The FFT type (FFT, IFFT, RFFT, IRFFT) of an {@code fft}, or empty. */
    public Optional<String> fftType() {
        return Optional.ofNullable(a.fftType);
    }

    /** The FFT lengths of an {@code fft}. */
    public List<Long> fftLength() {
        return a.fftLength;
    }

    /** For {@code triangular-solve}: left_side, lower, unit_diagonal and transpose_a (NO_TRANSPOSE, TRANSPOSE, ADJOINT). */
    public Optional<TriangularSolveOptions> triangularSolveOptions() {
        return Optional.ofNullable(a.triangularSolveOptions);
    }

    /** For {@code cholesky}: whether the lower triangle is used, or empty. */
    public Optional<Boolean> choleskyLower() {
        return Optional.ofNullable(a.choleskyLower);
    }

    @Override
    public String toString() {
        List<String> ops = new ArrayList<>();
        operands.forEach(o -> ops.add(o.name));
        return name + " = " + shape + " " + opcode + "(" + String.join(", ", ops) + ")";
    }

    /**
     * Collects an instruction's parts before the IR is assembled; operands and called computations are
     * named by key and resolved (and checked) by the reader. Not thread-safe.
     */
    public static final class Builder implements Cloneable {
        final String key;
        final String name;
        final HloOpcode opcode;
        final HloShape shape;
        List<String> operandKeys = List.of();
        List<String> calledComputationKeys = List.of();
        long parameterNumber = -1;
        HloLiteral literal;
        long tupleIndex = -1;
        List<Long> dimensions = List.of();
        Window window;
        ConvolutionDimensions convolutionDimensions;
        long featureGroupCount = 1;
        long batchGroupCount = 1;
        List<SliceDimension> slice = List.of();
        List<Long> dynamicSliceSizes = List.of();
        List<PaddingDimension> padding = List.of();
        DotDimensions dotDimensions;
        GatherDimensions gatherDimensions;
        List<Long> gatherSliceSizes = List.of();
        ScatterDimensions scatterDimensions;
        String comparisonDirection;
        String comparisonType;
        boolean isStable;
        boolean indicesAreSorted;
        boolean uniqueIndices;
        String customCallTarget;
        String backendConfig;
        List<List<Long>> replicaGroups = List.of();
        long channelId;
        boolean useGlobalDeviceIds;
        List<SourceTargetPair> sourceTargetPairs = List.of();
        String rngAlgorithm;
        String rngDistribution;
        int exponentBits = -1;
        int mantissaBits = -1;
        String fusionKind;
        String fftType;
        List<Long> fftLength = List.of();
        TriangularSolveOptions triangularSolveOptions;
        Boolean choleskyLower;

        Builder(String key, String name, HloOpcode opcode, HloShape shape) {
            this.key = Objects.requireNonNull(key, "key");
            this.name = Objects.requireNonNull(name, "name");
            this.opcode = Objects.requireNonNull(opcode, "opcode");
            this.shape = Objects.requireNonNull(shape, "shape");
        }

        /** A copy, so that later changes to the builder cannot reach a built instruction. */
        private Builder snapshot() {
            try {
                return (Builder) super.clone();
            } catch (CloneNotSupportedException impossible) {
                throw new AssertionError(impossible);
            }
        }

        /** The key others use for this instruction. */
        public String key() {
            return key;
        }

        /** The operand keys, in order. */
        public List<String> operandKeys() {
            return operandKeys;
        }

        /** The called computation keys, in order. */
        public List<String> calledComputationKeys() {
            return calledComputationKeys;
        }

        public Builder operands(List<String> keys) {
            this.operandKeys = List.copyOf(keys);
            return this;
        }

        public Builder calledComputations(List<String> keys) {
            this.calledComputationKeys = List.copyOf(keys);
            return this;
        }

        public Builder parameterNumber(long n) {
            this.parameterNumber = n;
            return this;
        }

        public Builder literal(HloLiteral l) {
            this.literal = l;
            return this;
        }

        public Builder tupleIndex(long i) {
            this.tupleIndex = i;
            return this;
        }

        public Builder dimensions(List<Long> d) {
            this.dimensions = List.copyOf(d);
            return this;
        }

        public Builder window(Window w) {
            this.window = w;
            return this;
        }

        public Builder convolutionDimensions(ConvolutionDimensions c) {
            this.convolutionDimensions = c;
            return this;
        }

        public Builder featureGroupCount(long n) {
            this.featureGroupCount = n;
            return this;
        }

        public Builder batchGroupCount(long n) {
            this.batchGroupCount = n;
            return this;
        }

        public Builder slice(List<SliceDimension> s) {
            this.slice = List.copyOf(s);
            return this;
        }

        public Builder dynamicSliceSizes(List<Long> s) {
            this.dynamicSliceSizes = List.copyOf(s);
            return this;
        }

        public Builder padding(List<PaddingDimension> p) {
            this.padding = List.copyOf(p);
            return this;
        }

        public Builder dotDimensions(DotDimensions d) {
            this.dotDimensions = d;
            return this;
        }

        public Builder gatherDimensions(GatherDimensions g) {
            this.gatherDimensions = g;
            return this;
        }

        public Builder gatherSliceSizes(List<Long> s) {
            this.gatherSliceSizes = List.copyOf(s);
            return this;
        }

        public Builder scatterDimensions(ScatterDimensions s) {
            this.scatterDimensions = s;
            return this;
        }

        public Builder comparisonDirection(String d) {
            this.comparisonDirection = d;
            return this;
        }

        public Builder comparisonType(String t) {
            this.comparisonType = t;
            return this;
        }

        public Builder isStable(boolean s) {
            this.isStable = s;
            return this;
        }

        public Builder indicesAreSorted(boolean s) {
            this.indicesAreSorted = s;
            return this;
        }

        public Builder uniqueIndices(boolean u) {
            this.uniqueIndices = u;
            return this;
        }

        public Builder customCallTarget(String t) {
            this.customCallTarget = t;
            return this;
        }

        public Builder backendConfig(String c) {
            this.backendConfig = c;
            return this;
        }

        public Builder replicaGroups(List<List<Long>> groups) {
            List<List<Long>> copy = new ArrayList<>();
            groups.forEach(g -> copy.add(List.copyOf(g)));
            this.replicaGroups = List.copyOf(copy);
            return this;
        }

        public Builder channelId(long id) {
            this.channelId = id;
            return this;
        }

        public Builder useGlobalDeviceIds(boolean u) {
            this.useGlobalDeviceIds = u;
            return this;
        }

        public Builder sourceTargetPairs(List<SourceTargetPair> pairs) {
            this.sourceTargetPairs = List.copyOf(pairs);
            return this;
        }

        public Builder rngAlgorithm(String a) {
            this.rngAlgorithm = a;
            return this;
        }

        public Builder rngDistribution(String d) {
            this.rngDistribution = d;
            return this;
        }

        public Builder exponentBits(int n) {
            this.exponentBits = n;
            return this;
        }

        public Builder mantissaBits(int n) {
            this.mantissaBits = n;
            return this;
        }

        public Builder fusionKind(String k) {
            this.fusionKind = k;
            return this;
        }

        public Builder fftType(String t) {
            this.fftType = t;
            return this;
        }

        public Builder fftLength(List<Long> l) {
            this.fftLength = List.copyOf(l);
            return this;
        }

        public Builder triangularSolveOptions(TriangularSolveOptions o) {
            this.triangularSolveOptions = o;
            return this;
        }

        public Builder choleskyLower(Boolean lower) {
            this.choleskyLower = lower;
            return this;
        }
    }
}
