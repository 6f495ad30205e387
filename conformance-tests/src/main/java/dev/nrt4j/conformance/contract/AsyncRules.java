package dev.nrt4j.conformance.contract;

import dev.nrt4j.DType;
import dev.nrt4j.ExecuteOptions;
import dev.nrt4j.LoadOptions;
import dev.nrt4j.Model;
import dev.nrt4j.NeuronException;
import dev.nrt4j.NeuronRuntime;
import dev.nrt4j.Status;
import dev.nrt4j.TensorSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** {@link Model#executeAsync}: order per core, results, deadlines, cancellation, failures and close. */
final class AsyncRules {
    /** What an output holds before a request could have written it; COPY never produces it from a ramp. */
    private static final float UNTOUCHED = 12345f;

    private AsyncRules() {}

    /** How {@code future} ended: null for normal completion, else the failure's status; never hangs. */
    private static Status outcome(CompletableFuture<Void> future) throws InterruptedException {
        try {
            future.get(ContractRunner.RULE_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            return null;
        } catch (ExecutionException e) {
            if (e.getCause() instanceof NeuronException n) {
                return n.status();
            }
            throw new AssertionError("the future failed with " + e.getCause() + ", not a NeuronException", e);
        } catch (TimeoutException e) {
            throw new AssertionError("the future never completed");
        }
    }

    private static void expectOutcome(CompletableFuture<Void> future, Status expected, String what)
            throws InterruptedException {
        Expect.equal(outcome(future), expected, what);
    }

    /** Output sets of COPY filled with {@link #UNTOUCHED}, so that a request that never ran is visible. */
    private static TensorSet untouchedOutputs(Model copy) {
        TensorSet out = copy.allocateOutputs();
        float[] marks = new float[16];
        Arrays.fill(marks, UNTOUCHED);
        out.get("output0").write(marks);
        return out;
    }

    private static TensorSet inputs(Model copy, int seed) {
        TensorSet in = copy.allocateInputs();
        in.get("input0").write(ExecuteRules.ramp(16, seed + 1));
        return in;
    }

    /** Inputs of FOREVER: one s32 scalar. */
    private static TensorSet foreverInputs(Model forever) {
        TensorSet in = forever.allocateInputs();
        in.get("input0").write(new byte[DType.INT32.byteSize()]);
        return in;
    }

    private static void closeAll(List<TensorSet> sets) {
        sets.forEach(TensorSet::close);
    }

    static List<Rule> all() {
        String area = "async";
        return List.of(
                new Rule(area, "an_async_execution_writes_the_outputs", ctx -> {
                    try (NeuronRuntime rt = ctx.open();
                            Model m = rt.load(ctx.program(ContractProgram.ADD));
                            TensorSet in = m.allocateInputs();
                            TensorSet out = m.allocateOutputs()) {
                        float[] a = ExecuteRules.ramp(64, 0.5f);
                        float[] b = ExecuteRules.ramp(64, 3);
                        in.get("input0").write(a);
                        in.get("input1").write(b);
                        expectOutcome(m.executeAsync(in, out), null, "the execution");
                        float[] y = out.get("output0").readFloats();
                        for (int k = 0; k < 64; k++) {
                            Expect.equal(y[k], a[k] + b[k]);
                        }
                    }
                }),
                new Rule(area, "async_requests_on_one_core_complete_in_submission_order", ctx -> {
                    try (NeuronRuntime rt = ctx.open();
                            Model first = rt.load(ctx.program(ContractProgram.COPY), LoadOptions.onCore(0));
                            Model second = rt.load(ctx.program(ContractProgram.COPY), LoadOptions.onCore(0))) {
                        List<TensorSet> sets = new ArrayList<>();
                        try {
                            List<Integer> completed = Collections.synchronizedList(new ArrayList<>());
                            List<CompletableFuture<Void>> futures = new ArrayList<>();
                            int n = 24;
                            for (int i = 0; i < n; i++) {
                                Model m = i % 2 == 0 ? first : second;
                                TensorSet in = inputs(m, i);
                                TensorSet out = untouchedOutputs(m);
                                sets.add(in);
                                sets.add(out);
                                int id = i;
                                CompletableFuture<Void> f = m.executeAsync(in, out);
                                futures.add(f);
                                f.whenComplete((v, e) -> completed.add(id));
                            }
                            for (int i = 0; i < n; i++) {
                                expectOutcome(futures.get(i), null, "request " + i);
                                Expect.equal(
                                        sets.get(2 * i + 1).get("output0").readFloats(), ExecuteRules.ramp(16, i + 1));
                            }
                            List<Integer> inOrder = new ArrayList<>();
                            for (int i = 0; i < n; i++) {
                                inOrder.add(i);
                            }
                            Expect.equal(completed, inOrder, "the order in which the requests completed");
                        } finally {
                            closeAll(sets);
                        }
                    }
                }),
                new Rule(area, "a_request_cancelled_before_it_starts_never_runs", ctx -> {
                    // A request behind an endless one has surely not started when it is cancelled.
                    try (NeuronRuntime rt = ctx.open(ctx.options()
                                    .execTimeout(Duration.ofSeconds(1))
                                    .build());
                            Model forever = rt.load(ctx.program(ContractProgram.FOREVER), LoadOptions.onCore(0));
                            Model copy = rt.load(ctx.program(ContractProgram.COPY), LoadOptions.onCore(0));
                            TensorSet slowIn = foreverInputs(forever);
                            TensorSet slowOut = forever.allocateOutputs();
                            TensorSet in = inputs(copy, 1);
                            TensorSet cancelledOut = untouchedOutputs(copy);
                            TensorSet laterOut = untouchedOutputs(copy)) {
                        CompletableFuture<Void> slow = forever.executeAsync(slowIn, slowOut);
                        CompletableFuture<Void> cancelled = copy.executeAsync(in, cancelledOut);
                        Expect.isTrue(cancelled.cancel(false), "cancel of a queued request succeeds");
                        CompletableFuture<Void> later = copy.executeAsync(in, laterOut);
                        Expect.equal(outcome(slow), Status.TIMEOUT, "the endless request");
                        // The later request runs after the cancelled one's turn: by now it would have run.
                        expectOutcome(later, null, "the request after the cancelled one");
                        Expect.equal(laterOut.get("output0").readFloats(), ExecuteRules.ramp(16, 2));
                        Expect.isTrue(cancelled.isCancelled(), "the cancelled future reports cancellation");
                        float[] untouched = new float[16];
                        Arrays.fill(untouched, UNTOUCHED);
                        Expect.equal(cancelledOut.get("output0").readFloats(), untouched);
                        try {
                            cancelled.join();
                            throw new AssertionError("join of a cancelled request returned normally");
                        } catch (CancellationException expected) {
                            // the caller is told
                        }
                    }
                }),
                new Rule(area, "a_passed_deadline_fails_the_future_with_timeout", ctx -> {
                    try (NeuronRuntime rt = ctx.open(ctx.options()
                                    .execTimeout(Duration.ofSeconds(5))
                                    .build());
                            Model forever = rt.load(ctx.program(ContractProgram.FOREVER), LoadOptions.onCore(0));
                            Model copy = rt.load(ctx.program(ContractProgram.COPY), LoadOptions.onCore(0));
                            TensorSet slowIn = foreverInputs(forever);
                            TensorSet slowOut = forever.allocateOutputs();
                            TensorSet in = inputs(copy, 1);
                            TensorSet queuedOut = untouchedOutputs(copy);
                            TensorSet laterOut = untouchedOutputs(copy)) {
                        ExecuteOptions deadline = ExecuteOptions.defaults().withTimeout(Duration.ofMillis(200));
                        long start = System.nanoTime();
                        CompletableFuture<Void> slow = forever.executeAsync(slowIn, slowOut, deadline);
                        CompletableFuture<Void> queued = copy.executeAsync(in, queuedOut, deadline);
                        CompletableFuture<Void> later = copy.executeAsync(in, laterOut);
                        expectOutcome(slow, Status.TIMEOUT, "a running request past its deadline");
                        expectOutcome(queued, Status.TIMEOUT, "a queued request past its deadline");
                        // The runtime's own timeout (5 s) has not ended the endless one yet: the deadline did.
                        Expect.between(
                                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start),
                                0,
                                4000,
                                "milliseconds until the deadline failed both futures");
                        expectOutcome(later, null, "the request after them");
                        float[] untouched = new float[16];
                        Arrays.fill(untouched, UNTOUCHED);
                        Expect.equal(queuedOut.get("output0").readFloats(), untouched);
                    }
                }),
                new Rule(area, "failures_complete_the_future_and_only_null_is_thrown", ctx -> {
                    try (NeuronRuntime rt = ctx.open();
                            Model m = rt.load(ctx.program(ContractProgram.COPY));
                            TensorSet in = m.allocateInputs();
                            TensorSet out = m.allocateOutputs();
                            TensorSet empty = rt.newTensorSet()) {
                        expectOutcome(m.executeAsync(empty, out), Status.EXEC_BAD_INPUT, "a set missing the input");
                        try {
                            m.executeAsync(null, out);
                            throw new AssertionError("executeAsync(null, out) was accepted");
                        } catch (NullPointerException expected) {
                            // thrown at the call
                        }
                        TensorSet closedIn = m.allocateInputs();
                        closedIn.close();
                        expectOutcome(m.executeAsync(closedIn, out), Status.CLOSED, "a closed input set");
                        expectOutcome(m.executeAsync(in, out), null, "a good request after the failures");
                    }
                }),
                new Rule(area, "a_set_of_another_runtime_fails_the_future_with_invalid", ctx -> {
                    try (NeuronRuntime rt = ctx.open(ctx.options().numCores(1).build());
                            NeuronRuntime other =
                                    ctx.open(ctx.options().numCores(1).build());
                            Model m = rt.load(ctx.program(ContractProgram.COPY));
                            Model foreign = other.load(ctx.program(ContractProgram.COPY));
                            TensorSet out = m.allocateOutputs();
                            TensorSet foreignIn = foreign.allocateInputs()) {
                        expectOutcome(m.executeAsync(foreignIn, out), Status.INVALID, "a set of another runtime");
                    }
                }),
                new Rule(area, "closing_with_pending_requests_completes_them_with_closed", ctx -> {
                    NeuronRuntime rt = ctx.open(
                            ctx.options().execTimeout(Duration.ofSeconds(2)).build());
                    List<TensorSet> sets = new ArrayList<>();
                    try {
                        Model forever = rt.load(ctx.program(ContractProgram.FOREVER), LoadOptions.onCore(0));
                        Model copy = rt.load(ctx.program(ContractProgram.COPY), LoadOptions.onCore(0));
                        Model kept = rt.load(ctx.program(ContractProgram.COPY), LoadOptions.onCore(0));
                        TensorSet slowIn = foreverInputs(forever);
                        TensorSet slowOut = forever.allocateOutputs();
                        sets.add(slowIn);
                        sets.add(slowOut);
                        CompletableFuture<Void> slow = forever.executeAsync(slowIn, slowOut);
                        List<CompletableFuture<Void>> ofCopy = new ArrayList<>();
                        List<CompletableFuture<Void>> ofKept = new ArrayList<>();
                        for (int i = 0; i < 4; i++) {
                            TensorSet in = inputs(copy, i);
                            TensorSet out = untouchedOutputs(copy);
                            sets.add(in);
                            sets.add(out);
                            ofCopy.add(copy.executeAsync(in, out));
                            ofKept.add(kept.executeAsync(in, out));
                        }
                        copy.close();
                        for (CompletableFuture<Void> f : ofCopy) {
                            expectOutcome(f, Status.CLOSED, "a pending request of a closed model");
                        }
                        // At once, not after the endless request ahead of them: closing did not wait for it.
                        Expect.isFalse(slow.isDone(), "the endless request is still running after the model's close");
                        expectOutcome(copy.executeAsync(sets.get(2), sets.get(3)), Status.CLOSED, "a closed model");
                        rt.close();
                        for (CompletableFuture<Void> f : ofKept) {
                            expectOutcome(f, Status.CLOSED, "a pending request when the runtime closed");
                        }
                        Expect.oneOf(
                                outcome(slow),
                                List.of(Status.TIMEOUT, Status.CLOSED),
                                "the running request when the runtime closed");
                        expectOutcome(kept.executeAsync(sets.get(2), sets.get(3)), Status.CLOSED, "a closed runtime");
                    } finally {
                        closeAll(sets);
                        rt.close();
                    }
                }));
    }
}
