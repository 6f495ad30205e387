package dev.nrt4j.reference.interpreter;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nrt4j.testsupport.Needs;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The one loader of the vector kernels: a JVM without the module runs every family's scalar loops, one with it the
 * vector ones; a kernel that does not load says why, in words for the backend's description.
 */
class VectorModuleTest {
    @Test
    void everyFamilyRunsItsVectorLoopsExactlyWhenTheJvmHasTheModule() throws Exception {
        Needs.that(
                VectorModule.resolved(),
                "the JVM option --add-modules " + VectorModule.NAME + " (the build's test argLine adds it)");
        assertThat(ChildJvm.output(ActiveVectorKernels.class, List.of()))
                .isEqualTo("elementwise scalar, exp scalar, min/max scalar");
        assertThat(ChildJvm.output(ActiveVectorKernels.class, List.of("--add-modules", VectorModule.NAME)))
                .isEqualTo("elementwise vector, exp vector, min/max vector");
    }

    @Test
    void aKernelThatDoesNotLoadSaysWhy() {
        Needs.that(
                VectorModule.resolved(),
                "the JVM option --add-modules " + VectorModule.NAME + " (the build's test argLine adds it)");
        VectorModule.Loaded<Runnable> missing = VectorModule.load(Runnable.class, "NoSuchKernel", "the test kernel");
        assertThat(missing.kernel()).isEmpty();
        assertThat(missing.whyNot())
                .startsWith("the test kernel does not link on this JDK (")
                .contains("NoSuchKernel");
        // A class of another interface is no kernel of this one.
        VectorModule.Loaded<Runnable> wrong = VectorModule.load(Runnable.class, "VectorExp", "the test kernel");
        assertThat(wrong.kernel()).isEmpty();
        assertThat(wrong.whyNot()).contains("ClassCastException");
        VectorModule.Loaded<ExpKernels.Kernel> exp =
                VectorModule.load(ExpKernels.Kernel.class, "VectorExp", "the test kernel");
        assertThat(exp.kernel()).isPresent();
        assertThat(exp.whyNot()).isNull();
    }
}
