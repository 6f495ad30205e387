package dev.nrt4j.reference.interpreter;

/** Prints {@link GemmKernels#description()}: the child JVM of {@link GemmKernelsTest}. */
final class GemmKernelsDescription {
    private GemmKernelsDescription() {}

    public static void main(String[] args) {
        System.out.println(GemmKernels.description());
    }
}
