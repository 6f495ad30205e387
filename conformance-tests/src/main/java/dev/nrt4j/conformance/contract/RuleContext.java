package dev.nrt4j.conformance.contract;

import dev.nrt4j.ModelSource;
import dev.nrt4j.NeuronRuntime;
import dev.nrt4j.RuntimeOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

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
     * Options for a simulated {@code instanceType}; on a hardware backend the rule is skipped, since
     * the machine is what it is.
     */
    public RuntimeOptions.Builder on(String instanceType) {
        if (!simulated()) {
            throw skip("needs a simulated " + instanceType);
        }
        return options().instanceType(instanceType);
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
     * The program written to the scratch directory in the form the backend takes, as a source to load.
     *
     * @throws RuleSkipped when the backend's program source cannot provide it
     */
    public ModelSource program(ContractProgram program) {
        return programs.write(program, workDir);
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
            throw skip("needs " + cores + " cores, the runtime has " + rt.cores().size());
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
