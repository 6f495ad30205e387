package dev.nrt4j.conformance.contract;

import dev.nrt4j.ModelSource;
import dev.nrt4j.NeuronRuntime;
import dev.nrt4j.RuntimeOptions;
import dev.nrt4j.device.InstanceCatalog;
import dev.nrt4j.device.InstanceType;
import dev.nrt4j.device.NeuronChip;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * What a rule works with: the backend under test, options that select it, a scratch directory, the
 * contract programs, and bookkeeping of the runtimes it opens so the runner can tell whether the rule
 * left anything open. One per rule run; not thread-safe except {@link #open}.
 */
public final class RuleContext {
    private final String backend;
    private final RuntimeOptions base;
    private final Path workDir;
    private final ProgramSource programs;
    private final List<NeuronRuntime> opened = new ArrayList<>();

    RuleContext(String backend, RuntimeOptions base, Path workDir, ProgramSource programs) {
        this.backend = backend;
        this.base = base;
        this.workDir = workDir;
        this.programs = programs;
    }

    /** The name of the backend under test. */
    public String backend() {
        return backend;
    }

    /** Whether the backend simulates its machine, so a rule may choose the instance type. */
    public boolean simulated() {
        return "reference".equals(backend);
    }

    /** Options that select the backend under test; add what the rule needs. */
    public RuntimeOptions.Builder options() {
        return base.toBuilder();
    }

    /**
     * Options for a machine whose chip has what the rule needs: on a simulated backend, the instance
     * type {@code simulatedType} (which must have it); on hardware, the machine itself when its chip has
     * it, else the rule is skipped saying what it needs, since the machine is what it is.
     *
     * @param simulatedType the instance type a simulated backend imitates for the rule
     * @param needs what the chip must have
     * @param what that need in words, for the skip
     * @return options for that machine, to which the rule adds its own
     * @throws RuleSkipped on hardware whose chip lacks it, or whose instance type the catalog does not know
     */
    public RuntimeOptions.Builder machineWhere(String simulatedType, Predicate<NeuronChip> needs, String what) {
        RuntimeOptions.Builder machine = simulated() ? options().instanceType(simulatedType) : options();
        InstanceType type = instanceTypeOf(machine);
        if (!needs.test(type.chip())) {
            if (simulated()) {
                throw new IllegalStateException(simulatedType + " does not have " + what);
            }
            throw skip("needs a machine with " + what + "; this one is a " + type.name());
        }
        return machine;
    }

    /**
     * The catalog's instance type of the machine {@code options} open: the simulated one, or the one the
     * native runtime reports. Opens (and closes) a runtime to learn it.
     *
     * @param options options that select the machine
     * @return the catalog's entry for it
     * @throws RuleSkipped when the catalog does not know it
     */
    public InstanceType instanceTypeOf(RuntimeOptions.Builder options) {
        String name;
        try (NeuronRuntime rt = open(options.build())) {
            name = rt.backend().instanceType();
        }
        return InstanceCatalog.find(name)
                .orElseThrow(() -> skip("the device catalog does not know this machine (" + name
                        + "), so the rule cannot tell what its chip has"));
    }

    /** Opens a runtime with the base options. */
    public NeuronRuntime open() {
        return open(base);
    }

    /** Opens a runtime with {@code options}; the runner checks it was closed. */
    public synchronized NeuronRuntime open(RuntimeOptions options) {
        NeuronRuntime rt = NeuronRuntime.open(options);
        opened.add(rt);
        return rt;
    }

    /**
     * Asks another process (a JVM with this one's class path and {@code nrt4j.*} properties) to open a
     * runtime with {@code options}, while this process holds what it holds.
     *
     * @return {@link ClaimFromAnotherProcess#CLAIMED}, or the name of the {@link dev.nrt4j.Status} it was refused with
     * @throws AssertionError if the other process could not run or did not answer in time
     */
    public String claimFromAnotherProcess(RuntimeOptions options) {
        return ClaimFromAnotherProcess.run(options, ContractRunner.RULE_TIMEOUT_SECONDS / 2);
    }

    /**
     * The program written to the scratch directory in the form the backend takes, as a source to load.
     *
     * @throws RuleSkipped when the backend's program source cannot provide it
     */
    public ModelSource program(ContractProgram program) {
        return programs.write(program, workDir);
    }

    /**
     * Whether {@code rt} loads HLO text: a well-formed program as text (the contract's copy) loads, or is
     * refused as a kind of file the backend does not read.
     */
    public boolean readsHloText(NeuronRuntime rt) {
        Path text = file(ContractProgram.COPY.fileName(), ContractProgram.COPY.hloText());
        try (var m = rt.load(ModelSource.of(text))) {
            return true;
        } catch (dev.nrt4j.NeuronException e) {
            return false;
        }
    }

    /** A file in the scratch directory with {@code content}. */
    public Path file(String name, String content) {
        return file(name, content.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    /** A file in the scratch directory with {@code content}. */
    public Path file(String name, byte[] content) {
        try {
            return Files.write(workDir.resolve(name), content);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + name + " in " + workDir, e);
        }
    }

    /** Skips the rule for {@code reason}; use as {@code throw ctx.skip(...)}. */
    public RuleSkipped skip(String reason) {
        return new RuleSkipped(reason);
    }

    /** Skips unless {@code rt} has at least {@code cores} cores. */
    public void requireCores(NeuronRuntime rt, int cores) {
        if (rt.cores().size() < cores) {
            throw skip(
                    "needs " + cores + " cores, the runtime has " + rt.cores().size());
        }
    }

    /** Runtimes the rule opened and left open, which the runner then closes. */
    synchronized List<NeuronRuntime> leftOpen() {
        List<NeuronRuntime> open = new ArrayList<>();
        for (NeuronRuntime rt : opened) {
            if (rt.isOpen()) {
                open.add(rt);
            }
        }
        return open;
    }
}
