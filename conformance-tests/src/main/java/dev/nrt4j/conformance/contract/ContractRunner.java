package dev.nrt4j.conformance.contract;

import dev.nrt4j.NeuronRuntime;
import dev.nrt4j.RuntimeOptions;
import dev.nrt4j.conformance.KnownFailures;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * Runs contract rules on one backend, one after another, each with a fresh {@link RuleContext} and
 * scratch directory. A rule that throws an {@link AssertionError} fails, one that throws anything else
 * (or runs past {@link #RULE_TIMEOUT_SECONDS}) errors, and one that leaves a runtime open errors too,
 * naming what was still open; such runtimes are closed before the next rule. Not thread-safe.
 */
public final class ContractRunner {
    /** No rule takes more than a few seconds on a working backend; past this it hangs. */
    public static final long RULE_TIMEOUT_SECONDS = 60;

    private final String backend;
    private final RuntimeOptions base;
    private final ProgramSource programs;
    private final KnownFailures knownDifferences;

    /**
     * A runner for the backend {@code base} selects ({@link RuntimeOptions#backend()} must be set), giving
     * it the programs as HLO module protos; rules add their own settings to {@code base}.
     */
    public ContractRunner(RuntimeOptions base) {
        this(base, ProgramSource.HLO_PROTO, KnownFailures.none());
    }

    /**
     * A runner that gives the backend the programs through {@code programs}, and reports the rules
     * {@code knownDifferences} names (by rule id, with the reason) as known differences when they fail.
     */
    public ContractRunner(RuntimeOptions base, ProgramSource programs, KnownFailures knownDifferences) {
        this.backend =
                base.backend().orElseThrow(() -> new IllegalArgumentException("the options must name the backend"));
        this.base = base;
        this.programs = programs;
        this.knownDifferences = knownDifferences;
    }

    /** Runs {@code rules}, telling {@code progress} each outcome as it comes. */
    public List<RuleOutcome> run(List<Rule> rules, Consumer<RuleOutcome> progress) {
        List<RuleOutcome> out = new ArrayList<>();
        for (Rule r : rules) {
            RuleOutcome o = run(r);
            out.add(o);
            progress.accept(o);
        }
        return out;
    }

    /** Runs one rule. */
    public RuleOutcome run(Rule rule) {
        long start = System.nanoTime();
        Path work;
        try {
            work = Files.createTempDirectory("nrt4j-contract-");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a scratch directory for " + rule.id(), e);
        }
        RuleContext context = new RuleContext(backend, base, work, programs);
        RuleOutcome.Status status;
        String detail = "";
        ExecutorService thread = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "nrt4j-contract-" + rule.name());
            t.setDaemon(true);
            return t;
        });
        try {
            Future<?> f = thread.submit(() -> {
                rule.body().check(context);
                return null;
            });
            f.get(RULE_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            status = RuleOutcome.Status.PASS;
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuleSkipped) {
                status = RuleOutcome.Status.SKIPPED;
            } else if (cause instanceof AssertionError) {
                status = RuleOutcome.Status.FAIL;
            } else {
                status = RuleOutcome.Status.ERROR;
            }
            detail = describe(cause);
        } catch (TimeoutException e) {
            status = RuleOutcome.Status.ERROR;
            detail = "did not finish within " + RULE_TIMEOUT_SECONDS + " s";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            status = RuleOutcome.Status.ERROR;
            detail = "interrupted";
        } finally {
            thread.shutdownNow();
        }
        List<NeuronRuntime> left = context.leftOpen();
        if (!left.isEmpty() && status == RuleOutcome.Status.PASS) {
            List<String> resources = new ArrayList<>();
            left.forEach(rt -> resources.addAll(rt.openResources()));
            status = RuleOutcome.Status.ERROR;
            detail = "the rule left " + left.size() + " runtime(s) open"
                    + (resources.isEmpty() ? "" : " holding " + resources);
        }
        left.forEach(NeuronRuntime::close);
        deleteQuietly(work);
        boolean failed = status == RuleOutcome.Status.FAIL || status == RuleOutcome.Status.ERROR;
        java.util.Optional<String> known = knownDifferences.reason(rule.id());
        if (failed && known.isPresent()) {
            detail = "known difference (" + known.get() + "): " + detail;
        }
        return new RuleOutcome(
                rule.id(),
                backend,
                status,
                detail,
                failed && known.isPresent(),
                (System.nanoTime() - start) / 1_000_000);
    }

    private static String describe(Throwable t) {
        String message =
                t.getMessage() == null ? t.getClass().getName() : t.getMessage().strip();
        if (t instanceof AssertionError || t instanceof RuleSkipped) {
            return message;
        }
        return t.getClass().getSimpleName() + ": " + message;
    }

    private static void deleteQuietly(Path dir) {
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // A scratch directory left in the temp dir harms nobody.
        }
    }
}
