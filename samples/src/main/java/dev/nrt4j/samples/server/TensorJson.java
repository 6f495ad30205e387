package dev.nrt4j.samples.server;

import dev.nrt4j.BFloat16;
import dev.nrt4j.DType;
import dev.nrt4j.Float16;
import dev.nrt4j.HostTensor;
import dev.nrt4j.Shape;
import dev.nrt4j.TensorInfo;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Tensors as the server's JSON carries them: {@code {"dtype": "f32", "shape": [2, 3], "data": [...]}},
 * the data in row-major order, flat or nested. dtypes are XLA's names ({@code f32}, {@code s32},
 * {@code pred}, ...) or NumPy's ({@code float32}, {@code int32}, {@code bool}, ...).
 *
 * <p>Decoding checks the request against what the model expects and throws an
 * {@link HttpProblem} (400) naming the input, what was sent and what the model wants. Stateless and
 * thread-safe.
 */
final class TensorJson {
    private static final Map<String, DType> NUMPY_NAMES = Map.ofEntries(
            Map.entry("float16", DType.FLOAT16),
            Map.entry("float32", DType.FLOAT32),
            Map.entry("float64", DType.FLOAT64),
            Map.entry("bfloat16", DType.BFLOAT16),
            Map.entry("int8", DType.INT8),
            Map.entry("int16", DType.INT16),
            Map.entry("int32", DType.INT32),
            Map.entry("int64", DType.INT64),
            Map.entry("uint8", DType.UINT8),
            Map.entry("uint16", DType.UINT16),
            Map.entry("uint32", DType.UINT32),
            Map.entry("uint64", DType.UINT64),
            Map.entry("bool", DType.PRED));

    private TensorJson() {}

    /** {@code name dtype[dims]}, as the error messages and the model listing show a tensor. */
    static String describe(TensorInfo t) {
        return t.name() + " " + t.dtype().hloName() + t.shape();
    }

    /**
     * The tensor {@code node} holds for {@code expected}. {@code dtype} and {@code shape} may be left
     * out, meaning the model's; when given they must be the model's.
     *
     * @throws HttpProblem (400) if the node is not a tensor object, its dtype or shape differ from the
     *     model's, or its data does not hold exactly the shape's number of values of that dtype
     */
    static HostTensor decode(JsonNode node, TensorInfo expected, String signature) {
        String name = expected.name();
        if (!node.isObject()) {
            throw HttpProblem.badRequest(
                    "input '" + name + "' must be an object with \"dtype\", \"shape\" and \"data\"; " + signature);
        }
        JsonNode dtypeNode = node.get("dtype");
        if (dtypeNode != null) {
            DType given = dtypeNode.isString() ? dtype(dtypeNode.stringValue()) : null;
            if (given == null) {
                throw HttpProblem.badRequest(
                        "input '" + name + "' has dtype " + dtypeNode + ", which is not a dtype; the model expects "
                                + expected.dtype().hloName() + "; " + signature);
            }
            if (given != expected.dtype()) {
                throw HttpProblem.badRequest("input '" + name + "' has dtype " + given.hloName()
                        + " but the model expects " + expected.dtype().hloName() + "; " + signature);
            }
        }
        JsonNode shapeNode = node.get("shape");
        if (shapeNode != null) {
            Shape given = shape(shapeNode, name, signature);
            if (!given.equals(expected.shape())) {
                throw HttpProblem.badRequest("input '" + name + "' has shape " + given + " but the model expects "
                        + expected.shape() + "; " + signature);
            }
        }
        JsonNode data = node.get("data");
        if (data == null || !(data.isArray() || data.isNumber() || data.isBoolean())) {
            throw HttpProblem.badRequest("input '" + name + "' has no \"data\" array; " + signature);
        }
        return values(data, expected, signature);
    }

    /** The JSON object for an output tensor. */
    static ObjectNode encode(HostTensor t) {
        JsonNodeFactory f = JsonNodeFactory.instance;
        ObjectNode o = f.objectNode();
        o.put("dtype", t.dtype().hloName());
        ArrayNode dims = o.putArray("shape");
        for (long d : t.shape().dims()) {
            dims.add(d);
        }
        ArrayNode data = o.putArray("data");
        DType type = t.dtype();
        if (type == DType.FLOAT64) {
            for (double v : t.toDoubleArray()) {
                data.add(v);
            }
        } else if (type.isFloatingPoint()) {
            // f16, bf16, fp8 widen to float exactly; printing floats keeps "0.1" from becoming 0.10000000149011612.
            for (float v : t.toFloatArray()) {
                data.add(v);
            }
        } else if (type == DType.PRED) {
            for (long v : t.toLongArray()) {
                data.add(v != 0);
            }
        } else if (type == DType.UINT64) {
            for (long v : t.toLongArray()) {
                data.add(new BigInteger(Long.toUnsignedString(v)));
            }
        } else {
            for (long v : t.toLongArray()) {
                data.add(v);
            }
        }
        return o;
    }

    /** A dtype by XLA or NumPy name, null if it names none. */
    static DType dtype(String name) {
        String n = name.toLowerCase(Locale.ROOT).trim();
        DType numpy = NUMPY_NAMES.get(n);
        if (numpy != null) {
            return numpy;
        }
        try {
            return DType.fromHloName(n);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static Shape shape(JsonNode node, String name, String signature) {
        if (!node.isArray()) {
            throw HttpProblem.badRequest(
                    "input '" + name + "' has shape " + node + ", not an array of dimensions; " + signature);
        }
        long[] dims = new long[node.size()];
        for (int i = 0; i < dims.length; i++) {
            JsonNode d = node.get(i);
            if (!d.isIntegralNumber() || !d.canConvertToLong() || d.longValue() < 0) {
                throw HttpProblem.badRequest("input '" + name + "' has shape " + node + ", whose dimension " + i
                        + " is not a non-negative integer; " + signature);
            }
            dims[i] = d.longValue();
        }
        return Shape.of(dims);
    }

    private static HostTensor values(JsonNode data, TensorInfo expected, String signature) {
        String name = expected.name();
        DType type = expected.dtype();
        long count = expected.shape().elementCount();
        ByteBuffer out = ByteBuffer.allocate((int) expected.byteSize()).order(ByteOrder.LITTLE_ENDIAN);
        long seen = 0;
        // Nested arrays are walked with an explicit stack: row-major order is depth-first order.
        Deque<Iterator<JsonNode>> stack = new ArrayDeque<>();
        if (data.isArray()) {
            stack.push(data.iterator());
        } else {
            stack.push(List.of(data).iterator());
        }
        while (!stack.isEmpty()) {
            Iterator<JsonNode> it = stack.peek();
            if (!it.hasNext()) {
                stack.pop();
                continue;
            }
            JsonNode v = it.next();
            if (v.isArray()) {
                stack.push(v.iterator());
                continue;
            }
            if (seen == count) {
                throw HttpProblem.badRequest("input '" + name + "' has more than the " + count + " values of shape "
                        + expected.shape() + "; " + signature);
            }
            put(out, type, v, name, seen);
            seen++;
        }
        if (seen != count) {
            throw HttpProblem.badRequest("input '" + name + "' has " + seen + " values but shape " + expected.shape()
                    + " needs " + count + "; " + signature);
        }
        out.flip();
        return HostTensor.of(type, expected.shape(), out);
    }

    private static void put(ByteBuffer out, DType type, JsonNode v, String name, long index) {
        switch (type) {
            case FLOAT32:
                out.putFloat((float) number(v, name, index));
                return;
            case FLOAT64:
                out.putDouble(number(v, name, index));
                return;
            case FLOAT16:
                out.putShort(Float16.fromFloat((float) number(v, name, index)));
                return;
            case BFLOAT16:
                out.putShort(BFloat16.fromFloat((float) number(v, name, index)));
                return;
            case PRED:
                if (v.isBoolean()) {
                    out.put((byte) (v.booleanValue() ? 1 : 0));
                } else {
                    out.put((byte) integer(v, name, index, 0, 1));
                }
                return;
            case INT8:
                out.put((byte) integer(v, name, index, Byte.MIN_VALUE, Byte.MAX_VALUE));
                return;
            case UINT8:
                out.put((byte) integer(v, name, index, 0, 0xFF));
                return;
            case INT16:
                out.putShort((short) integer(v, name, index, Short.MIN_VALUE, Short.MAX_VALUE));
                return;
            case UINT16:
                out.putShort((short) integer(v, name, index, 0, 0xFFFF));
                return;
            case INT32:
                out.putInt((int) integer(v, name, index, Integer.MIN_VALUE, Integer.MAX_VALUE));
                return;
            case UINT32:
                out.putInt((int) integer(v, name, index, 0, 0xFFFF_FFFFL));
                return;
            case INT64:
            case UINT64:
                out.putLong(integer(v, name, index, type == DType.UINT64 ? 0 : Long.MIN_VALUE, Long.MAX_VALUE));
                return;
            default:
                throw HttpProblem.badRequest("input '" + name + "' is " + type.hloName()
                        + ", which JSON cannot carry; send it as application/x-npy");
        }
    }

    private static double number(JsonNode v, String name, long index) {
        if (!v.isNumber()) {
            throw HttpProblem.badRequest("input '" + name + "' value " + index + " is " + v + ", not a number");
        }
        return v.doubleValue();
    }

    private static long integer(JsonNode v, String name, long index, long min, long max) {
        if (!v.isIntegralNumber() || !v.canConvertToLong() || v.longValue() < min || v.longValue() > max) {
            throw HttpProblem.badRequest("input '" + name + "' value " + index + " is " + v + ", not an integer in ["
                    + min + ", " + max + "]");
        }
        return v.longValue();
    }
}
