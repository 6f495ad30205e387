package dev.nrt4j.reference.interpreter;

/** Prints which loops the elementwise kernel families chose: the child JVM of {@link VectorModuleTest}. */
final class ActiveVectorKernels {
    private ActiveVectorKernels() {}

    public static void main(String[] args) {
        System.out.println(
                "elementwise " + (ElementwiseKernels.active() == ElementwiseKernels.SCALAR ? "scalar" : "vector")
                        + ", exp " + (ExpKernels.active() == ExpKernels.SCALAR ? "scalar" : "vector")
                        + ", min/max " + (MinMaxKernels.active() == MinMaxKernels.SCALAR ? "scalar" : "vector"));
    }
}
