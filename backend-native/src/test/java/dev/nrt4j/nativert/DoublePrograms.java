package dev.nrt4j.nativert;

import dev.nrt4j.ModelSource;
import dev.nrt4j.conformance.contract.ContractProgram;
import dev.nrt4j.conformance.contract.ProgramSource;
import java.nio.file.Path;

/**
 * The contract's programs as NEFFs the libnrt double runs: the ones it has an operation for (copy, add,
 * matmul in f32 and bf16), with the contract's shapes; the others cannot be provided, so their rules
 * are skipped with that reason.
 */
final class DoublePrograms implements ProgramSource {
    @Override
    public ModelSource write(ContractProgram program, Path dir) {
        byte[] neff;
        switch (program) {
            case ADD:
                neff = TestNeffs.neff(TestNeffs.program("%0 = input input0 f32 64", "%1 = input input1 f32 64", "%2 = add %0 %1",
                                "output output0 %2"),
                        "input0", "input", 0, 256, "input1", "input", 1, 256, "output0", "output", 2, 256);
                break;
            case COPY:
                neff = TestNeffs.copy(16);
                break;
            case MATMUL:
                neff = TestNeffs.neff(TestNeffs.program("%0 = input input0 f32 8 16", "%1 = input input1 f32 16 4", "%2 = dot %0 %1",
                                "output output0 %2"),
                        "input0", "input", 0, 8 * 16 * 4, "input1", "input", 1, 16 * 4 * 4, "output0", "output", 2, 8 * 4 * 4);
                break;
            case MATMUL_BF16:
                neff = TestNeffs.neff(TestNeffs.program("%0 = input input0 bf16 4 8", "%1 = input input1 bf16 8 4", "%2 = dot %0 %1",
                                "output output0 %2"),
                        "input0", "input", 0, 4 * 8 * 2, "input1", "input", 1, 8 * 4 * 2, "output0", "output", 2, 4 * 4 * 2);
                break;
            default:
                throw ProgramSource.cannotProvide(program, "the libnrt double runs only copy, add and matmul");
        }
        return ModelSource.of(TestNeffs.write(dir, program.name().toLowerCase(java.util.Locale.ROOT) + ".neff", neff));
    }
}
