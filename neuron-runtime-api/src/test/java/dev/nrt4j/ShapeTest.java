package dev.nrt4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import org.junit.jupiter.api.Test;

class ShapeTest {

    @Test
    void aScalarHasRankZeroAndOneElement() {
        assertThat(Shape.of()).isSameAs(Shape.scalar()).isEqualTo(Shape.of(new long[0]));
        assertThat(Shape.scalar().rank()).isZero();
        assertThat(Shape.scalar().elementCount()).isEqualTo(1);
        assertThat(Shape.scalar().byteSize(DType.FLOAT64)).isEqualTo(8);
        assertThat(Shape.scalar()).hasToString("[]");
    }

    @Test
    void countsElementsAndBytes() {
        Shape s = Shape.of(2, 3, 4);
        assertThat(s.rank()).isEqualTo(3);
        assertThat(s.dim(0)).isEqualTo(2);
        assertThat(s.dim(2)).isEqualTo(4);
        assertThat(s.elementCount()).isEqualTo(24);
        assertThat(s.byteSize(DType.BFLOAT16)).isEqualTo(48);
        assertThat(s).hasToString("[2, 3, 4]");
    }

    @Test
    void intAndLongDimensionsMakeEqualShapes() {
        assertThat(Shape.of(2, 3)).isEqualTo(Shape.of(2L, 3L)).hasSameHashCodeAs(Shape.of(2L, 3L));
        assertThat(Shape.of(2, 3)).isNotEqualTo(Shape.of(3, 2)).isNotEqualTo(Shape.of(6));
    }

    @Test
    void aZeroDimensionMeansNoElementsWhereverItIs() {
        assertThat(Shape.of(0, 5).elementCount()).isZero();
        assertThat(Shape.of(0L, Long.MAX_VALUE, Long.MAX_VALUE).elementCount()).isZero();
        // The product of the dimensions is 0, so no overflow may be reported, whatever the order.
        assertThat(Shape.of(Long.MAX_VALUE, Long.MAX_VALUE, 0L).elementCount()).isZero();
        assertThat(Shape.of(Long.MAX_VALUE, 0L).byteSize(DType.INT64)).isZero();
    }

    @Test
    void rejectsNegativeDimensions() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> Shape.of(2, -1))
                .withMessageContaining("dimension 1")
                .withMessageContaining("negative");
        assertThatIllegalArgumentException().isThrownBy(() -> Shape.of(-1L, 0L));
    }

    @Test
    void rejectsElementCountsPastLong() {
        assertThat(Shape.of(Long.MAX_VALUE, 1L).elementCount()).isEqualTo(Long.MAX_VALUE);
        assertThatIllegalArgumentException().isThrownBy(() -> Shape.of(1L << 32, 1L << 31));
        assertThatIllegalArgumentException().isThrownBy(() -> Shape.of(1L << 62, 2L));
    }

    @Test
    void rejectsByteSizesPastLong() {
        Shape s = Shape.of(1L << 60);
        assertThat(s.byteSize(DType.FLOAT32)).isEqualTo(1L << 62);
        assertThatIllegalArgumentException()
                .isThrownBy(() -> s.byteSize(DType.INT64))
                .withMessageContaining("s64");
    }

    @Test
    void isNotChangedThroughItsArrays() {
        long[] dims = {2, 3};
        Shape s = Shape.of(dims);
        dims[0] = 7;
        s.dims()[1] = 9;
        assertThat(s.dims()).containsExactly(2, 3);
        assertThat(s.elementCount()).isEqualTo(6);
    }
}
