package dev.nrt4j.server;

import dev.nrt4j.BFloat16;
import dev.nrt4j.DType;
import dev.nrt4j.Float16;
import dev.nrt4j.HostTensor;
import dev.nrt4j.Shape;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;

/**
 * A tensor's {@code data} in the protocol's JSON: read (flat, or nested as the shape nests) into a
 * {@link HostTensor}, and written back flat. Each element must fit its datatype exactly: integers in
 * range and integral, floats finite after rounding to the type (so {@code 1e400} or {@code 70000} as
 * FP16 is refused), booleans true or false. Stateless.
 */
final class TensorJson {
    private static final BigInteger TWO_TO_64 = BigInteger.ONE.shiftLeft(64);

    private TensorJson() {}

    /**
     * The tensor {@code data} holds.
     *
     * @param what the tensor, for messages, e.g. {@code input 'x'}
     * @throws HttpFailure 400 for data that does not match the shape or the datatype
     */
    static HostTensor read(String what, DType dtype, Shape shape, JsonNode data) {
        if (data == null || !data.isArray()) {
            throw new HttpFailure(400, what + ": 'data' must be an array (flat, or nested as the shape)");
        }
        long count = shape.elementCount();
        long bytes = count * dtype.byteSize();
        if (bytes > Integer.MAX_VALUE) {
            throw new HttpFailure(413, what + ": " + dtype.hloName() + shape + " is too large for one request");
        }
        ByteBuffer out = ByteBuffer.allocate((int) bytes).order(ByteOrder.LITTLE_ENDIAN);
        boolean nested = data.size() > 0 && data.get(0).isArray();
        if (nested) {
            readNested(what, dtype, shape, 0, data, out);
        } else {
            if (data.size() != count) {
                throw new HttpFailure(
                        400,
                        what + ": the shape " + shape + " holds " + count + " elements but 'data' has " + data.size());
            }
            for (JsonNode e : data) {
                put(what, dtype, e, out);
            }
        }
        return HostTensor.of(dtype, shape, out.flip());
    }

    private static void readNested(String what, DType dtype, Shape shape, int axis, JsonNode node, ByteBuffer out) {
        if (axis == shape.rank()) {
            put(what, dtype, node, out);
            return;
        }
        if (!node.isArray() || node.size() != shape.dim(axis)) {
            throw new HttpFailure(
                    400,
                    what + ": nested 'data' does not match the shape " + shape + " at dimension " + axis
                            + " (expected an array of " + shape.dim(axis) + ")");
        }
        for (JsonNode e : node) {
            readNested(what, dtype, shape, axis + 1, e, out);
        }
    }

    private static void put(String what, DType dtype, JsonNode e, ByteBuffer out) {
        switch (dtype) {
            case PRED:
                if (!e.isBoolean()) {
                    throw element(what, "BOOL", e);
                }
                out.put((byte) (e.booleanValue() ? 1 : 0));
                return;
            case FLOAT32:
                out.putFloat(finiteFloat(what, "FP32", e));
                return;
            case FLOAT64:
                if (!e.isNumber() || !Double.isFinite(e.doubleValue())) {
                    throw element(what, "FP64", e);
                }
                out.putDouble(e.doubleValue());
                return;
            case FLOAT16: {
                short h = Float16.fromFloat(finiteFloat(what, "FP16", e));
                if (!Float.isFinite(Float16.toFloat(h))) {
                    throw element(what, "FP16", e);
                }
                out.putShort(h);
                return;
            }
            case BFLOAT16: {
                short h = BFloat16.fromFloat(finiteFloat(what, "BF16", e));
                if (!Float.isFinite(BFloat16.toFloat(h))) {
                    throw element(what, "BF16", e);
                }
                out.putShort(h);
                return;
            }
            default:
                putInteger(what, dtype, e, out);
        }
    }

    private static float finiteFloat(String what, String type, JsonNode e) {
        if (!e.isNumber()) {
            throw element(what, type, e);
        }
        float f = (float) e.doubleValue();
        if (!Float.isFinite(f)) {
            throw element(what, type, e);
        }
        return f;
    }

    private static void putInteger(String what, DType dtype, JsonNode e, ByteBuffer out) {
        String type = V2Datatype.nameOf(dtype);
        if (!e.isIntegralNumber()) {
            throw element(what, type, e);
        }
        BigInteger v = e.bigIntegerValue();
        int bits = dtype.byteSize() * 8;
        BigInteger min = dtype.isUnsignedInteger()
                ? BigInteger.ZERO
                : BigInteger.ONE.shiftLeft(bits - 1).negate();
        BigInteger max = dtype.isUnsignedInteger()
                ? BigInteger.ONE.shiftLeft(bits).subtract(BigInteger.ONE)
                : BigInteger.ONE.shiftLeft(bits - 1).subtract(BigInteger.ONE);
        if (v.compareTo(min) < 0 || v.compareTo(max) > 0) {
            throw element(what, type, e);
        }
        long bitsOf = v.longValue();
        switch (dtype.byteSize()) {
            case 1:
                out.put((byte) bitsOf);
                break;
            case 2:
                out.putShort((short) bitsOf);
                break;
            case 4:
                out.putInt((int) bitsOf);
                break;
            default:
                out.putLong(bitsOf);
        }
    }

    private static HttpFailure element(String what, String type, JsonNode e) {
        String shown = e.toString();
        if (shown.length() > 40) {
            shown = shown.substring(0, 40) + "...";
        }
        return new HttpFailure(
                400,
                what + ": " + shown + " is not a " + type + " value ("
                        + (type.equals("BOOL")
                                ? "true or false"
                                : type.startsWith("FP") || type.equals("BF16")
                                        ? "a number the type holds as a finite value"
                                        : "an integer in the type's range")
                        + ")");
    }

    /** The tensor's elements as a flat JSON array. NaN and infinities are written as the strings Jackson writes for them. */
    static ArrayNode write(HostTensor t) {
        ArrayNode a = JsonNodeFactory.instance.arrayNode((int) Math.min(t.elementCount(), 1 << 16));
        ByteBuffer b = t.data();
        DType d = t.dtype();
        long n = t.elementCount();
        for (long i = 0; i < n; i++) {
            switch (d) {
                case PRED:
                    a.add(b.get() != 0);
                    break;
                case FLOAT32:
                    a.add(b.getFloat());
                    break;
                case FLOAT64:
                    a.add(b.getDouble());
                    break;
                case FLOAT16:
                    a.add(Float16.toFloat(b.getShort()));
                    break;
                case BFLOAT16:
                    a.add(BFloat16.toFloat(b.getShort()));
                    break;
                case INT8:
                    a.add(b.get());
                    break;
                case UINT8:
                    a.add(b.get() & 0xff);
                    break;
                case INT16:
                    a.add(b.getShort());
                    break;
                case UINT16:
                    a.add(b.getShort() & 0xffff);
                    break;
                case INT32:
                    a.add(b.getInt());
                    break;
                case UINT32:
                    a.add(b.getInt() & 0xffffffffL);
                    break;
                case INT64:
                    a.add(b.getLong());
                    break;
                case UINT64: {
                    long v = b.getLong();
                    a.add(v >= 0 ? BigInteger.valueOf(v) : BigInteger.valueOf(v).add(TWO_TO_64));
                    break;
                }
                default:
                    throw new HttpFailure(
                            500,
                            "the model's output type " + d.hloName() + " has no JSON form; ask for it as binary data");
            }
        }
        return a;
    }
}
