package dev.nrt4j.reference.interpreter;

import dev.nrt4j.hlo.ElementType;
import dev.nrt4j.hlo.HloInstruction;
import dev.nrt4j.hlo.HloOpcode;
import dev.nrt4j.hlo.HloShape;
import java.util.List;

/**
 * {@code rng-bit-generator}: counter-based random bits exactly as XLA expands the op on CPU
 * (its {@code RngBitGeneratorExpander} and the ThreeFry/Philox generators of its builder library),
 * so a program draws the same bits here as under XLA-on-CPU.
 *
 * <ul>
 * <li>The state is a {@code u64} vector whose first word is the key. {@code rng_three_fry} uses
 * {@code u64[2]}: key and a 64-bit counter. {@code rng_philox} uses {@code u64[3]} (key, then a
 * 128-bit counter, low word first) or {@code u64[2]} (key, and the counter's low word; the key
 * doubles as the high word). {@code rng_default} is Philox, XLA-on-CPU's default.</li>
 * <li>ThreeFry-2x32 (20 rounds; Salmon et al., SC'11) encrypts the counter plus each element's
 * index. A 64-bit element takes both output words (first word low); 32-bit elements are generated
 * for half of the shape (split along the first even dimension, else the longest) and the two output
 * words fill adjacent elements along that dimension.</li>
 * <li>Philox-4x32 (10 rounds) encrypts 128-bit counters {@code counter + i}; the four words fill
 * four consecutive 32-bit elements, or two consecutive 64-bit elements (words 0|1 and 2|3).</li>
 * <li>Elements narrower than 32 bits take the low bits of the 32-bit stream.</li>
 * <li>The new state adds the number of blocks drawn to the counter.</li>
 * </ul>
 *
 * The stateful {@code rng} op (uniform/normal from a hidden seed) has no reproducible definition and
 * is not implemented.
 */
final class RngOps {
    private RngOps() {}

    static void registerAll(OpRegistry r) {
        r.register(RngOps::rngBitGenerator, HloOpcode.RNG_BIT_GENERATOR);
    }

    private static Value rngBitGenerator(HloInstruction ins, List<Value> ops, EvaluationContext ctx) {
        Array state = ops.get(0).asArray();
        if (state.type() != ElementType.U64 || state.rank() != 1) {
            throw new IllegalArgumentException("the state of rng-bit-generator must be a u64 vector, not " + state);
        }
        HloShape shape = ins.shape();
        if (!shape.isTuple()
                || shape.tupleShapes().size() != 2
                || !shape.tupleShapes().get(1).isArray()
                || !shape.tupleShapes().get(0).sameDimensionsAndType(state.shape())) {
            throw new IllegalArgumentException(
                    "rng-bit-generator returns (state, bits) with the operand's state shape, not " + shape);
        }
        HloShape dataShape = shape.tupleShapes().get(1);
        String algorithm = ins.rngAlgorithm().orElse("rng_default");
        long[] s = state.longs();
        Array data = Array.allocate(dataShape);
        int width = bitWidth(dataShape.elementType());
        long[] newState = s.clone();
        switch (algorithm) {
            case "rng_three_fry": {
                if (s.length != 2) {
                    throw new IllegalArgumentException("rng_three_fry needs a u64[2] state, not " + state);
                }
                newState[1] = width == 64 ? threeFry64(s[0], s[1], data) : threeFry32(s[0], s[1], data, width);
                break;
            }
            case "rng_default":
            case "rng_philox": {
                long key = s[0];
                long lo;
                long hi;
                if (s.length == 3) {
                    lo = s[1];
                    hi = s[2];
                } else if (s.length == 2) {
                    lo = s[1];
                    hi = s[0];
                } else {
                    throw new IllegalArgumentException("rng_philox needs a u64[2] or u64[3] state, not " + state);
                }
                long blocks = philox(key, lo, hi, data, width);
                long newLo = lo + blocks;
                newState[1] = newLo;
                if (s.length == 3) {
                    newState[2] = Long.compareUnsigned(newLo, lo) < 0 ? hi + 1 : hi;
                }
                break;
            }
            default:
                throw new IllegalArgumentException("rng-bit-generator algorithm " + algorithm + " is not one of "
                        + "rng_default, rng_three_fry, rng_philox");
        }
        return new TupleValue(List.of(Array.wrap(ElementType.U64, state.dims(), newState), data));
    }

    private static int bitWidth(ElementType t) {
        switch (t) {
            case S8:
            case U8:
                return 8;
            case S16:
            case U16:
            case F16:
            case BF16:
                return 16;
            case S32:
            case U32:
            case F32:
                return 32;
            case S64:
            case U64:
            case F64:
                return 64;
            default:
                throw new IllegalArgumentException("rng-bit-generator cannot generate " + t.textName() + " elements");
        }
    }

    /** 64-bit elements: element i encrypts counter + i. Returns the new counter. */
    private static long threeFry64(long key, long counter, Array data) {
        int n = data.size();
        int k0 = (int) key;
        int k1 = (int) (key >>> 32);
        int[] x = new int[2];
        for (int i = 0; i < n; i++) {
            long c = counter + i;
            threeFry2x32(k0, k1, (int) c, (int) (c >>> 32), x);
            put64(data, i, (x[0] & 0xFFFFFFFFL) | ((long) x[1] << 32));
        }
        return counter + n;
    }

    /**
     * 32-bit (and narrower) elements: the shape is halved along one dimension (the first even one, else
     * the first longest; a scalar counts as [1]); block {@code i} of the half shape encrypts
     * counter + i and its two words fill elements {@code 2h} and {@code 2h+1} of that dimension.
     */
    private static long threeFry32(long key, long counter, Array data, int width) {
        long[] dims = data.dims();
        int rank = dims.length;
        int k0 = (int) key;
        int k1 = (int) (key >>> 32);
        int[] x = new int[2];
        if (rank == 0) {
            threeFry2x32(k0, k1, (int) counter, (int) (counter >>> 32), x);
            put32(data, 0, x[0], width);
            return counter + 1;
        }
        int split = -1;
        for (int d = 0; d < rank; d++) {
            if (dims[d] % 2 == 0) {
                split = d;
                break;
            }
        }
        if (split < 0) {
            split = 0;
            for (int d = 1; d < rank; d++) {
                if (dims[d] > dims[split]) {
                    split = d;
                }
            }
        }
        long outer = 1;
        for (int d = 0; d < split; d++) {
            outer *= dims[d];
        }
        long inner = 1;
        for (int d = split + 1; d < rank; d++) {
            inner *= dims[d];
        }
        long len = dims[split];
        long half = (len + 1) / 2;
        for (long o = 0; o < outer; o++) {
            for (long h = 0; h < half; h++) {
                for (long a = 0; a < inner; a++) {
                    long block = (o * half + h) * inner + a;
                    long c = counter + block;
                    threeFry2x32(k0, k1, (int) c, (int) (c >>> 32), x);
                    for (int w = 0; w < 2; w++) {
                        long s = 2 * h + w;
                        if (s < len) {
                            put32(data, (int) ((o * len + s) * inner + a), x[w], width);
                        }
                    }
                }
            }
        }
        return counter + outer * half * inner;
    }

    private static final int[] ROTATIONS = {13, 15, 26, 6, 17, 29, 16, 24};

    /** Threefry-2x32 with 20 rounds: key schedule (k0, k1, k0 ^ k1 ^ 0x1BD11BDA), injection every 4 rounds. */
    static void threeFry2x32(int k0, int k1, int c0, int c1, int[] out) {
        int[] ks = {k0, k1, k0 ^ k1 ^ 0x1BD11BDA};
        int x0 = c0 + ks[0];
        int x1 = c1 + ks[1];
        for (int group = 0; group < 5; group++) {
            int r = (group % 2) * 4;
            for (int i = 0; i < 4; i++) {
                x0 += x1;
                x1 = Integer.rotateLeft(x1, ROTATIONS[r + i]);
                x1 ^= x0;
            }
            x0 += ks[(group + 1) % 3];
            x1 += ks[(group + 2) % 3] + group + 1;
        }
        out[0] = x0;
        out[1] = x1;
    }

    /**
     * Philox-4x32 blocks over 128-bit counters (lo, hi) + i. 32-bit elements take the four words of
     * block i as elements 4i..4i+3; 64-bit elements take words (0|1, 2|3) as elements 2i, 2i+1.
     * Returns the number of blocks drawn.
     */
    private static long philox(long key, long lo, long hi, Array data, int width) {
        int n = data.size();
        int perBlock = width == 64 ? 2 : 4;
        long blocks = (n + perBlock - 1) / perBlock;
        int[] x = new int[4];
        int k0 = (int) key;
        int k1 = (int) (key >>> 32);
        for (long b = 0; b < blocks; b++) {
            long cl = lo + b;
            long ch = Long.compareUnsigned(cl, lo) < 0 ? hi + 1 : hi;
            philox4x32(k0, k1, (int) cl, (int) (cl >>> 32), (int) ch, (int) (ch >>> 32), x);
            for (int w = 0; w < perBlock; w++) {
                long i = b * perBlock + w;
                if (i >= n) {
                    break;
                }
                if (width == 64) {
                    put64(data, (int) i, (x[2 * w] & 0xFFFFFFFFL) | ((long) x[2 * w + 1] << 32));
                } else {
                    put32(data, (int) i, x[w], width);
                }
            }
        }
        return blocks;
    }

    /** Philox-4x32 with 10 rounds (Salmon et al.): multipliers 0xD2511F53, 0xCD9E8D57; Weyl key increments. */
    static void philox4x32(int k0, int k1, int c0, int c1, int c2, int c3, int[] out) {
        for (int round = 0; round < 10; round++) {
            long p0 = (c0 & 0xFFFFFFFFL) * 0xD2511F53L;
            long p1 = (c2 & 0xFFFFFFFFL) * 0xCD9E8D57L;
            int n0 = (int) (p1 >>> 32) ^ c1 ^ k0;
            int n1 = (int) p1;
            int n2 = (int) (p0 >>> 32) ^ c3 ^ k1;
            int n3 = (int) p0;
            c0 = n0;
            c1 = n1;
            c2 = n2;
            c3 = n3;
            k0 += 0x9E3779B9;
            k1 += 0xBB67AE85;
        }
        out[0] = c0;
        out[1] = c1;
        out[2] = c2;
        out[3] = c3;
    }

    private static void put64(Array a, int i, long bits) {
        if (a.type() == ElementType.F64) {
            a.doubles()[i] = Double.longBitsToDouble(bits);
        } else {
            a.longs()[i] = bits;
        }
    }

    /** A 32-bit word, truncated to the element's width. */
    private static void put32(Array a, int i, int bits, int width) {
        switch (width) {
            case 8:
                a.bytes()[i] = (byte) bits;
                return;
            case 16:
                a.shorts()[i] = (short) bits;
                return;
            default:
                if (a.type() == ElementType.F32) {
                    a.floats()[i] = Float.intBitsToFloat(bits);
                } else {
                    a.ints()[i] = bits;
                }
        }
    }
}
