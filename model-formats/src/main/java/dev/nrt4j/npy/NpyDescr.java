package dev.nrt4j.npy;

import dev.nrt4j.DType;

/**
 * The mapping between NumPy type strings (the {@code descr} of a {@code .npy} header, such as
 * {@code '<f4'}) and nrt4j element types, in both directions.
 *
 * <p>Immutable and thread-safe.
 */
final class NpyDescr {
    /** Listed in every "unsupported" message so the reader knows what would work. */
    static final String SUPPORTED = "'<f2' '<f4' '<f8' '|i1' '<i2' '<i4' '<i8' '|u1' '<u2' '<u4' '<u8' '|b1' "
            + "(or '?'), each also big-endian ('>f4' ...) or native ('=f4')";

    final DType dtype;
    final boolean bigEndian;

    private NpyDescr(DType dtype, boolean bigEndian) {
        this.dtype = dtype;
        this.bigEndian = bigEndian;
    }

    /**
     * The element type a descr names.
     *
     * @throws IllegalArgumentException with a message naming the descr and what is supported
     */
    static NpyDescr parse(String descr) {
        String s = descr;
        char order = '=';
        if (!s.isEmpty() && "<>=|".indexOf(s.charAt(0)) >= 0) {
            order = s.charAt(0);
            s = s.substring(1);
        }
        DType type = typeOf(s);
        if (type == null) {
            throw new IllegalArgumentException(unsupported(descr, s));
        }
        if (type.byteSize() > 1 && order == '|') {
            throw new IllegalArgumentException("descr '" + descr + "' says '|' (byte order not applicable) for a "
                    + type.byteSize() + "-byte type; a multi-byte type needs '<' (little-endian) or '>' (big-endian)");
        }
        // '=' and no mark mean the writer's native order. NumPy itself never writes them (it resolves
        // to '<' or '>'), and every platform that produces .npy files for Neuron is little-endian.
        return new NpyDescr(type, order == '>' && type.byteSize() > 1);
    }

    /**
     * The descr written for {@code type}. Types NumPy lacks are written as their bit patterns:
     * bf16 as {@code '<u2'}, the fp8 types as {@code '|u1'}, fp32r as {@code '<f4'}.
     */
    static String forWriting(DType type) {
        switch (type) {
            case FLOAT32:
            case FP32R:
                return "<f4";
            case FLOAT64:
                return "<f8";
            case FLOAT16:
                return "<f2";
            case BFLOAT16:
                return "<u2";
            case FP8_E4M3:
            case FP8_E5M2:
            case FP8_E3M4:
                return "|u1";
            case INT8:
                return "|i1";
            case UINT8:
                return "|u1";
            case INT16:
                return "<i2";
            case UINT16:
                return "<u2";
            case INT32:
                return "<i4";
            case UINT32:
                return "<u4";
            case INT64:
                return "<i8";
            case UINT64:
                return "<u8";
            case PRED:
                return "|b1";
            default:
                throw new IllegalArgumentException("no .npy type for " + type.hloName());
        }
    }

    private static DType typeOf(String s) {
        switch (s) {
            case "f2":
                return DType.FLOAT16;
            case "f4":
                return DType.FLOAT32;
            case "f8":
                return DType.FLOAT64;
            case "i1":
                return DType.INT8;
            case "i2":
                return DType.INT16;
            case "i4":
                return DType.INT32;
            case "i8":
                return DType.INT64;
            case "u1":
                return DType.UINT8;
            case "u2":
                return DType.UINT16;
            case "u4":
                return DType.UINT32;
            case "u8":
                return DType.UINT64;
            case "b1":
            case "?":
                return DType.PRED;
            default:
                return null;
        }
    }

    private static String unsupported(String descr, String body) {
        String kind = body.isEmpty() ? "" : kindName(body.charAt(0), body);
        return "descr '" + descr + "'" + (kind.isEmpty() ? "" : " (" + kind + ")") + " is not supported; supported: "
                + SUPPORTED;
    }

    private static String kindName(char k, String body) {
        switch (k) {
            case 'c':
                return "complex numbers";
            case 'O':
                return "Python objects";
            case 'U':
                return "unicode strings";
            case 'S':
            case 'a':
                return "byte strings";
            case 'V':
                return "raw void records";
            case 'M':
                return "datetimes";
            case 'm':
                return "timedeltas";
            case 'f':
                return body.length() > 1 ? body.substring(1) + "-byte floats" : "floats without a size";
            case 'i':
            case 'u':
                return body.length() > 1 ? body.substring(1) + "-byte integers" : "integers without a size";
            default:
                return "";
        }
    }
}
