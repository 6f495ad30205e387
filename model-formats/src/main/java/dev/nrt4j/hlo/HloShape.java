package dev.nrt4j.hlo;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * The shape of an HLO value: an array (element type, dimensions in logical major-to-minor order, and
 * a layout), a tuple of shapes, or a token. Immutable and thread-safe.
 *
 * <p>The layout is kept as {@code minor_to_major} so that readers can put literal data into logical
 * row-major order; the IR's values are always row-major, so only {@code bitcast} needs it.
 */
public final class HloShape {
    /** Largest element count an array shape may declare; guards arithmetic, not memory. */
    public static final long MAX_ELEMENTS = Long.MAX_VALUE / 16;

    private final ElementType elementType;
    private final long[] dims;
    private final int[] minorToMajor;
    private final List<HloShape> tupleShapes;
    private final long elementCount;

    private HloShape(ElementType elementType, long[] dims, int[] minorToMajor, List<HloShape> tupleShapes) {
        this.elementType = elementType;
        this.dims = dims;
        this.minorToMajor = minorToMajor;
        this.tupleShapes = tupleShapes;
        long count = 1;
        for (long d : dims) {
            if (d < 0) {
                throw new IllegalArgumentException(
                        "negative dimension in " + elementType.textName() + Arrays.toString(dims));
            }
            if (d != 0 && count > MAX_ELEMENTS / d) {
                throw new IllegalArgumentException("shape " + elementType.textName() + Arrays.toString(dims)
                        + " has more than " + MAX_ELEMENTS + " elements");
            }
            count *= d;
        }
        this.elementCount = count;
    }

    /** An array shape with the default (row-major) layout. */
    public static HloShape array(ElementType type, long... dims) {
        return array(type, dims, null);
    }

    /**
     * An array shape with a layout.
     *
     * @param minorToMajor a permutation of the dimension indices, minor first; null for row-major
     * @throws IllegalArgumentException for a non-array element type, a negative dimension, too many
     *     elements, or a layout that is not a permutation of the dimensions
     */
    public static HloShape array(ElementType type, long[] dims, int[] minorToMajor) {
        Objects.requireNonNull(type, "type");
        if (!type.isArrayType()) {
            throw new IllegalArgumentException(type.textName() + " is not an array element type");
        }
        if (minorToMajor != null) {
            checkPermutation(minorToMajor, dims.length);
            if (isRowMajor(minorToMajor)) {
                minorToMajor = null;
            } else {
                minorToMajor = minorToMajor.clone();
            }
        }
        return new HloShape(type, dims.clone(), minorToMajor, List.of());
    }

    /** A tuple of shapes. */
    public static HloShape tuple(List<HloShape> elements) {
        return new HloShape(ElementType.TUPLE, new long[0], null, List.copyOf(elements));
    }

    /** The token shape. */
    public static HloShape token() {
        return new HloShape(ElementType.TOKEN, new long[0], null, List.of());
    }

    /** An opaque shape. */
    public static HloShape opaque() {
        return new HloShape(ElementType.OPAQUE, new long[0], null, List.of());
    }

    private static void checkPermutation(int[] p, int rank) {
        if (p.length != rank) {
            throw new IllegalArgumentException(
                    "layout " + Arrays.toString(p) + " does not list all " + rank + " dimensions");
        }
        boolean[] seen = new boolean[rank];
        for (int d : p) {
            if (d < 0 || d >= rank || seen[d]) {
                throw new IllegalArgumentException(
                        "layout " + Arrays.toString(p) + " is not a permutation of 0.." + (rank - 1));
            }
            seen[d] = true;
        }
    }

    private static boolean isRowMajor(int[] minorToMajor) {
        for (int i = 0; i < minorToMajor.length; i++) {
            if (minorToMajor[i] != minorToMajor.length - 1 - i) {
                return false;
            }
        }
        return true;
    }

    /** The element type ({@link ElementType#TUPLE} for tuples, {@link ElementType#TOKEN} for tokens). */
    public ElementType elementType() {
        return elementType;
    }

    /** Whether this is an array shape. */
    public boolean isArray() {
        return elementType.isArrayType();
    }

    /** Whether this is a tuple shape. */
    public boolean isTuple() {
        return elementType == ElementType.TUPLE;
    }

    /** Number of dimensions (0 for scalars and non-arrays). */
    public int rank() {
        return dims.length;
    }

    /** Dimension {@code i}. */
    public long dim(int i) {
        return dims[i];
    }

    /** A copy of the dimensions, major to minor. */
    public long[] dims() {
        return dims.clone();
    }

    /** Elements of an array shape (1 for a scalar). */
    public long elementCount() {
        return elementCount;
    }

    /** Bytes the elements of an array shape take in a literal. */
    public long byteSize() {
        return elementCount * elementType.byteSize();
    }

    /** The elements of a tuple shape. */
    public List<HloShape> tupleShapes() {
        return tupleShapes;
    }

    /** Whether the layout is row-major (the default). */
    public boolean hasDefaultLayout() {
        return minorToMajor == null;
    }

    /** The layout's {@code minor_to_major}, the dimensions minor first. */
    public int[] minorToMajor() {
        if (minorToMajor != null) {
            return minorToMajor.clone();
        }
        int[] p = new int[dims.length];
        for (int i = 0; i < p.length; i++) {
            p[i] = p.length - 1 - i;
        }
        return p;
    }

    /** The same array shape with the default layout. */
    public HloShape withDefaultLayout() {
        return minorToMajor == null || !isArray() ? this : new HloShape(elementType, dims, null, List.of());
    }

    /** Whether the two shapes are the same ignoring layouts. */
    public boolean sameDimensionsAndType(HloShape other) {
        if (elementType != other.elementType
                || !Arrays.equals(dims, other.dims)
                || tupleShapes.size() != other.tupleShapes.size()) {
            return false;
        }
        for (int i = 0; i < tupleShapes.size(); i++) {
            if (!tupleShapes.get(i).sameDimensionsAndType(other.tupleShapes.get(i))) {
                return false;
            }
        }
        return true;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof HloShape)) {
            return false;
        }
        HloShape s = (HloShape) o;
        return elementType == s.elementType
                && Arrays.equals(dims, s.dims)
                && Arrays.equals(minorToMajor, s.minorToMajor)
                && tupleShapes.equals(s.tupleShapes);
    }

    @Override
    public int hashCode() {
        return Objects.hash(elementType, Arrays.hashCode(dims), Arrays.hashCode(minorToMajor), tupleShapes);
    }

    /** As HLO text writes it: {@code f32[2,3]}, {@code f32[2,3]{0,1}}, {@code (f32[], s32[4])}, {@code token[]}. */
    @Override
    public String toString() {
        if (isTuple()) {
            List<String> parts = new ArrayList<>();
            tupleShapes.forEach(s -> parts.add(s.toString()));
            return "(" + String.join(", ", parts) + ")";
        }
        StringBuilder b = new StringBuilder(elementType.textName()).append('[');
        for (int i = 0; i < dims.length; i++) {
            b.append(i == 0 ? "" : ",").append(dims[i]);
        }
        b.append(']');
        if (minorToMajor != null) {
            b.append('{');
            for (int i = 0; i < minorToMajor.length; i++) {
                b.append(i == 0 ? "" : ",").append(minorToMajor[i]);
            }
            b.append('}');
        }
        return b.toString();
    }
}
