package dev.nrt4j.nativert.standin;

import dev.nrt4j.hlo.ElementType;
import dev.nrt4j.neff.NeffBuilder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * A program for the libnrt double in its text format, version 2 (the contract with the double, specified
 * in the header comment of src/test/c/nrt_double.c), and the NEFF that carries it. Statements are appended in
 * order and numbered {@code %0, %1, ...} as the format requires; each value's element type and
 * dimensions are kept so that the tensors' byte sizes in {@code sg00/def.json} and the shapes in
 * {@code neff.json} agree with the program. A statement whose operands do not fit (which only a lowering
 * bug produces) is refused with {@link IllegalArgumentException} rather than written for the double to
 * reject. Not thread-safe.
 */
public final class DoubleProgram {
    /** The element types the format has, with its name for each and the NEFF's (numpy) name. */
    public enum DType {
        /** 32-bit float. */
        F32("f32", "float32", ElementType.F32),
        /** bfloat16. */
        BF16("bf16", "bfloat16", ElementType.BF16),
        /** IEEE half. */
        F16("f16", "float16", ElementType.F16),
        /** 32-bit signed integer. */
        S32("s32", "int32", ElementType.S32),
        /** 64-bit signed integer. */
        S64("s64", "int64", ElementType.S64),
        /** 8-bit signed integer. */
        S8("s8", "int8", ElementType.S8),
        /** 8-bit unsigned integer. */
        U8("u8", "uint8", ElementType.U8),
        /** Boolean, one byte. */
        PRED("pred", "bool", ElementType.PRED);

        private final String programName;
        private final String neffName;
        private final ElementType hlo;

        DType(String programName, String neffName, ElementType hlo) {
            this.programName = programName;
            this.neffName = neffName;
            this.hlo = hlo;
        }

        /** The HLO element type's counterpart, or empty when the format has none. */
        public static Optional<DType> of(ElementType type) {
            for (DType d : values()) {
                if (d.hlo == type) {
                    return Optional.of(d);
                }
            }
            return Optional.empty();
        }

        /** The name in program text, e.g. {@code bf16}. */
        public String programName() {
            return programName;
        }

        /** Bytes per element. */
        public int byteSize() {
            return hlo.byteSize();
        }
    }

    /** Most dimensions a value may have in the format. */
    public static final int MAX_RANK = 8;

    private record Value(DType type, long[] dims) {
        long bytes() {
            long n = type.byteSize();
            for (long d : dims) {
                n = Math.multiplyExact(n, d);
            }
            return n;
        }
    }

    private record Tensor(String name, Value value) {}

    private final List<String> statements = new ArrayList<>();
    private final List<Value> values = new ArrayList<>();
    private final List<Tensor> inputs = new ArrayList<>();
    private final List<Tensor> outputs = new ArrayList<>();
    private final String origin;
    private int cores = 1;
    private int ranks = 1;

    /**
     * @param origin what the program was made from, written as its first (comment) line
     */
    public DoubleProgram(String origin) {
        this.origin = origin.replace('\n', ' ').replace('\r', ' ');
    }

    /** Sets the NeuronCores the program needs (default 1). */
    public DoubleProgram cores(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("cores " + n);
        }
        cores = n;
        return this;
    }

    /** Sets the ranks of a collective program (default 1). */
    public DoubleProgram ranks(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("ranks " + n);
        }
        ranks = n;
        return this;
    }

    /** The NeuronCores the program needs. */
    public int cores() {
        return cores;
    }

    /** Binds input tensor {@code name}; returns its value. */
    public int input(String name, DType type, long... dims) {
        checkRank(dims);
        Value v = new Value(type, dims.clone());
        inputs.add(new Tensor(name, v));
        return define("input " + name + " " + type.programName + dimsText(dims), v);
    }

    /**
     * A scalar constant.
     *
     * @param text the value as the format reads it: C hex float, {@code inf}, {@code nan}, decimal integer, 0 or 1
     */
    public int constant(DType type, String text) {
        return define("const " + type.programName + " " + text, new Value(type, new long[0]));
    }

    /** Scalar {@code operand} repeated to {@code dims}. */
    public int broadcast(int operand, long... dims) {
        Value a = value(operand);
        if (a.dims.length != 0) {
            throw new IllegalArgumentException("broadcast of %" + operand + ", which is not a scalar");
        }
        checkRank(dims);
        return define("broadcast %" + operand + dimsText(dims), new Value(a.type, dims.clone()));
    }

    /** Elementwise sum. */
    public int add(int a, int b) {
        return define("add %" + a + " %" + b, same(a, b));
    }

    /** Elementwise product. */
    public int multiply(int a, int b) {
        return define("multiply %" + a + " %" + b, same(a, b));
    }

    /** The same value. */
    public int copy(int a) {
        return define("copy %" + a, value(a));
    }

    /** [m,k] x [k,n] to [m,n]. */
    public int dot(int a, int b) {
        Value x = value(a);
        Value y = value(b);
        if (x.type != y.type || x.dims.length != 2 || y.dims.length != 2 || x.dims[1] != y.dims[0]) {
            throw new IllegalArgumentException(
                    "dot of %" + a + " and %" + b + " that are not [m,k] and [k,n] of one type");
        }
        return define("dot %" + a + " %" + b, new Value(x.type, new long[] {x.dims[0], y.dims[1]}));
    }

    /** Elementwise sum over the program's ranks. */
    public int allReduceSum(int a) {
        return define("all-reduce-sum %" + a, value(a));
    }

    /** A value that is never produced: the execution spins until its timeout. */
    public int loopForever(int a) {
        return define("loop-forever %" + a, value(a));
    }

    /** Writes {@code value} to output tensor {@code name}. */
    public DoubleProgram output(String name, int value) {
        Value v = value(value);
        outputs.add(new Tensor(name, v));
        statements.add("output " + name + " %" + value);
        return this;
    }

    /** The program text. */
    public String text() {
        StringBuilder b = new StringBuilder();
        b.append("# ").append(origin).append('\n');
        b.append("nrt4j-program 2\n");
        if (cores != 1) {
            b.append("cores ").append(cores).append('\n');
        }
        if (ranks != 1) {
            b.append("ranks ").append(ranks).append('\n');
        }
        for (String s : statements) {
            b.append(s).append('\n');
        }
        return b.toString();
    }

    /**
     * {@code sg00/def.json}: inputs then outputs, {@code var_id} in that order, sizes in bytes. The
     * signature a reader takes from it has the same names in the same order as the program's tensors.
     */
    public String defJson() {
        List<Object> vars = new ArrayList<>();
        int id = 0;
        for (Tensor t : inputs) {
            vars.addAll(List.of(t.name, "input", id++, t.value.bytes()));
        }
        for (Tensor t : outputs) {
            vars.addAll(List.of(t.name, "output", id++, t.value.bytes()));
        }
        return NeffBuilder.defJson(vars.toArray());
    }

    /** {@code neff.json}: the tensors' element types and shapes, which def.json does not carry. */
    public String neffJson() {
        List<Tensor> all = new ArrayList<>(inputs);
        all.addAll(outputs);
        String[] names = new String[all.size()];
        String[] shapes = new String[all.size()];
        String[] dtypes = new String[all.size()];
        for (int i = 0; i < names.length; i++) {
            names[i] = all.get(i).name;
            shapes[i] = Arrays.toString(all.get(i).value.dims);
            dtypes[i] = all.get(i).value.type.neffName;
        }
        return NeffBuilder.neffJson(names, shapes, dtypes);
    }

    /**
     * The NEFF: the 1024-byte header (pkg_version 2 with the payload's MD5, num_tpb the program's cores,
     * the given LNC) and a gzip'd tar of {@code sg00/def.json}, {@code neff.json} and {@code nrt4j.program}.
     * The same program gives the same bytes: the uuid, which a real compiler draws at random, is derived
     * from the content, so a cached NEFF and a fresh one can be compared.
     *
     * @param networkName the header's name (the HLO module's)
     * @param buildVersion the header's compiler build version
     * @param lnc the logical NeuronCore size compiled for
     */
    public byte[] neff(String networkName, String buildVersion, int lnc) {
        String program = text();
        return new NeffBuilder()
                .name(networkName)
                .buildVersion(buildVersion)
                .cores(cores)
                .lncSize(lnc)
                .uuid(Arrays.copyOf(sha256(program + "\0lnc=" + lnc + "\0" + networkName), 16))
                .file("neff.json", neffJson())
                .directory("sg00/")
                .file("sg00/def.json", defJson())
                .file("nrt4j.program", program)
                .build();
    }

    private int define(String statement, Value v) {
        int id = values.size();
        values.add(v);
        statements.add("%" + id + " = " + statement);
        return id;
    }

    private Value value(int id) {
        if (id < 0 || id >= values.size()) {
            throw new IllegalArgumentException("%" + id + " is not defined yet");
        }
        return values.get(id);
    }

    private Value same(int a, int b) {
        Value x = value(a);
        Value y = value(b);
        if (x.type != y.type || !Arrays.equals(x.dims, y.dims)) {
            throw new IllegalArgumentException("%" + a + " and %" + b + " differ in type or dimensions");
        }
        return x;
    }

    private static void checkRank(long[] dims) {
        if (dims.length > MAX_RANK) {
            throw new IllegalArgumentException(dims.length + " dimensions; the format has at most " + MAX_RANK);
        }
    }

    private static String dimsText(long[] dims) {
        StringBuilder b = new StringBuilder();
        for (long d : dims) {
            b.append(' ').append(d);
        }
        return b.toString();
    }

    private static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }
}
