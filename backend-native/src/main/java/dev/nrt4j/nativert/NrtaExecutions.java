package dev.nrt4j.nativert;

import dev.nrt4j.NeuronException;
import dev.nrt4j.Status;
import dev.nrt4j.nativert.binding.ExecStatus;
import dev.nrt4j.nativert.binding.LibNrt;
import dev.nrt4j.nativert.binding.NrtStatus;
import dev.nrt4j.nativert.binding.RuntimeVersion;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.UnaryOperator;

/**
 * libnrt's explicit asynchronous execution, the v3 {@code nrta_*} API (nrt-api.md section 4.9), behind
 * {@link NativeModel#submit}: each request is scheduled on its core's COMPUTE queue 0 and its future
 * completes when libnrt reports it complete, with the status libnrt wrote into its {@code exec_ret}.
 *
 * <p><b>Which runtimes.</b> Only a runtime of 2.31.24 or later (SDK 2.29) that exports the functions:
 * earlier runtimes export {@code nrta_*} names with the incompatible v2 signatures, which are never
 * called. Completion comes from an eventfd that libnrt signals
 * ({@code nrta_event_register_seq_id_completion}, runtime 2.32.31 and later); before that runtime it is
 * polled with {@code nrta_is_completed}, backing off from {@value #MIN_POLL_MICROS} µs to
 * {@value #MAX_POLL_MICROS} µs. Without the v3 API {@link #open} gives nothing, and the API layer's
 * per-core executor runs the synchronous {@code nrt_execute}.
 *
 * <p>One eventfd serves every request of the runtime, registered once per sequence; each wake checks
 * every request in flight with {@code nrta_is_completed}. AWS's own caller uses an eventfd per wait, and
 * no header says whether libnrt keeps several registrations on one descriptor [INF], so the wait is
 * bounded ({@value #EVENT_WAIT_MILLIS} ms): a registration libnrt dropped costs latency, never a hang.
 *
 * <p><b>Ownership.</b> Until libnrt reports a request complete, its {@code exec_ret} ({@link ExecStatus},
 * native memory) and its tensor sets stay allocated here; the caller keeps the model and tensors open
 * until the future completes (the API layer does). Then the sets are destroyed and the memory freed, on
 * the completion thread, before the future completes. {@code NRT_QUEUE_FULL} is retried after the next
 * completion (or a backoff, as other threads' requests drain the queue too) until the runtime closes.
 *
 * <p><b>Close.</b> {@link #close} refuses new requests and waits for those in flight: libnrt cannot stop
 * a running NEFF, and they end by completing or by the runtime's execution timeout. Only a close whose
 * thread is interrupted abandons them: their futures fail with {@link Status#CLOSED}, and their memory,
 * sets and eventfd are deliberately never freed, since libnrt may still write them.
 *
 * <p>Thread-safe. One completion thread per runtime, started on demand and ended after a second idle,
 * so an unused runtime holds no thread.
 */
final class NrtaExecutions {
    static final int MIN_POLL_MICROS = 20;
    static final int MAX_POLL_MICROS = 2000;
    /** The eventfd wait's bound: a request whose registration failed is still found by the next poll. */
    static final int EVENT_WAIT_MILLIS = 50;

    private static final long IDLE_NANOS = TimeUnit.SECONDS.toNanos(1);
    private static final long MIN_FULL_BACKOFF_NANOS = TimeUnit.MICROSECONDS.toNanos(100);
    private static final long MAX_FULL_BACKOFF_NANOS = TimeUnit.MILLISECONDS.toNanos(50);

    private final LibNrt lib;
    /** The eventfd libnrt signals at completions, or -1 when completion is polled. */
    private final int eventFd;

    /** Scheduled and not completed, in submission order; guarded by this. */
    private final ArrayDeque<Request> inFlight = new ArrayDeque<>();
    /** Completions so far, which a scheduler facing a full queue waits to see change; guarded by this. */
    private long completions;
    /** Submits between their closed check and their request in flight (and registered); guarded by this. */
    private int scheduling;

    private Thread completer;
    private boolean closed;
    /** A close abandoned requests, which libnrt may still signal on the eventfd: it is never closed. */
    private boolean abandonedAny;

    private boolean fdClosed;

    private NrtaExecutions(LibNrt lib, int eventFd) {
        this.lib = lib;
        this.eventFd = eventFd;
    }

    /** Whether this runtime has the v3 API: version 2.31.24 or later and the functions exported. */
    static boolean hasV3(LibNrt lib, RuntimeVersion version) {
        return version.atLeast(2, 31, 24) && lib.hasNrta();
    }

    /** Whether this runtime signals completions to an eventfd: 2.32.31 or later and the function exported. */
    static boolean hasCompletionEvents(LibNrt lib, RuntimeVersion version) {
        return hasV3(lib, version) && version.atLeast(2, 32, 31) && lib.hasNrtaCompletionEvents();
    }

    /** The explicit async API of this runtime, or empty when it has none (see the class comment). */
    static Optional<NrtaExecutions> open(LibNrt lib, RuntimeVersion version) {
        if (!hasV3(lib, version)) {
            return Optional.empty();
        }
        int fd = hasCompletionEvents(lib, version) ? lib.eventfd() : -1;
        return Optional.of(new NrtaExecutions(lib, fd));
    }

    /** How {@code executeAsync} runs on this runtime, for the backend's detail line. */
    static String describe(LibNrt lib, RuntimeVersion version, Optional<NrtaExecutions> nrta) {
        if (nrta.isPresent()) {
            return nrta.get().eventFd >= 0
                    ? "async through libnrt nrta (v3), completions by eventfd"
                    : "async through libnrt nrta (v3), completions polled"
                            + (version.atLeast(2, 32, 31) ? "" : " (runtime " + version + " predates 2.32.31)");
        }
        return "async on a per-core executor ("
                + (version.atLeast(2, 31, 24)
                        ? "this libnrt lacks the nrta functions"
                        : "runtime " + version + " predates the v3 nrta API of 2.31.24")
                + ")";
    }

    /**
     * Schedules one execution of {@code model} with the two sets, which this takes over: {@code release}
     * destroys them once libnrt has completed the request (or here, when scheduling fails).
     *
     * @param explain turns libnrt's failure into the one the caller reports
     * @return a future that completes when the outputs are written, or exceptionally with the
     *     {@link NeuronException} of the status libnrt wrote
     * @throws NeuronException when scheduling fails: {@link Status#CLOSED} once closed, else libnrt's status
     */
    CompletableFuture<Void> submit(
            long model, long inputSet, long outputSet, Runnable release, UnaryOperator<NeuronException> explain) {
        synchronized (this) {
            if (closed) {
                release.run();
                throw closedForNew();
            }
            // Counted until the request is in flight and registered: close waits for it, so nothing
            // reaches libnrt for this runtime after close returns.
            scheduling++;
        }
        try {
            ExecStatus status = lib.allocateExecStatus();
            long seq;
            try {
                seq = schedule(model, inputSet, outputSet, status);
            } catch (RuntimeException | Error e) {
                status.close();
                release.run();
                throw e;
            }
            Request r = new Request(seq, status, release, explain);
            synchronized (this) {
                if (abandonedAny) {
                    // An interrupted close gave up on waiting: this one is abandoned as well.
                    r.done.completeExceptionally(abandonedFailure());
                    return r.done;
                }
                inFlight.add(r);
                if (completer == null) {
                    completer = new Thread(this::complete, "nrt4j-nrta-completions");
                    completer.setDaemon(true);
                    completer.start();
                }
                notifyAll();
            }
            if (eventFd >= 0) {
                try {
                    // After it is in flight: a completion before the registration signals at once.
                    lib.nrtaEventRegisterSeqIdCompletion(seq, eventFd);
                } catch (NeuronException | UnsupportedOperationException e) {
                    // The completion thread's bounded wait still finds it, only later.
                }
            }
            return r.done;
        } finally {
            synchronized (this) {
                scheduling--;
                notifyAll();
            }
        }
    }

    private static NeuronException closedForNew() {
        return new NeuronException(Status.CLOSED, "nrta_execute_schedule", "the native runtime is closed");
    }

    private static NeuronException abandonedFailure() {
        return new NeuronException(
                Status.CLOSED,
                "nrta_execute_schedule",
                "the native runtime was closed while the request ran; its outputs are undefined");
    }

    /** {@code nrta_execute_schedule} on queue 0, retried while the queue is full. */
    private long schedule(long model, long inputSet, long outputSet, ExecStatus status) {
        long backoff = MIN_FULL_BACKOFF_NANOS;
        boolean interrupted = false;
        try {
            while (true) {
                long seen;
                synchronized (this) {
                    if (closed) {
                        throw closedForNew();
                    }
                    seen = completions;
                }
                try {
                    return lib.nrtaExecuteSchedule(model, inputSet, outputSet, 0, status);
                } catch (NeuronException e) {
                    if (e.status() != Status.QUEUE_FULL) {
                        throw e;
                    }
                }
                synchronized (this) {
                    long until = System.nanoTime() + backoff;
                    long left;
                    while (completions == seen && !closed && (left = until - System.nanoTime()) > 0) {
                        try {
                            TimeUnit.NANOSECONDS.timedWait(this, left);
                        } catch (InterruptedException e) {
                            // The request must still be scheduled or refused; the caller sees the flag.
                            interrupted = true;
                        }
                    }
                }
                backoff = Math.min(backoff * 2, MAX_FULL_BACKOFF_NANOS);
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** The completion thread: finds completed requests and completes their futures, in order. */
    private void complete() {
        long idleSince = System.nanoTime();
        long pollNanos = TimeUnit.MICROSECONDS.toNanos(MIN_POLL_MICROS);
        while (true) {
            List<Request> pending;
            synchronized (this) {
                if (inFlight.isEmpty()) {
                    if (closed || System.nanoTime() - idleSince > IDLE_NANOS) {
                        completer = null;
                        notifyAll();
                        return;
                    }
                    try {
                        wait(TimeUnit.NANOSECONDS.toMillis(IDLE_NANOS) + 1);
                    } catch (InterruptedException e) {
                        // Nobody interrupts this thread; carry on until idle or closed.
                    }
                    continue;
                }
                pending = new ArrayList<>(inFlight);
            }
            List<Request> finished = new ArrayList<>();
            for (Request r : pending) {
                try {
                    if (lib.nrtaIsCompleted(r.seq)) {
                        finished.add(r);
                    }
                } catch (RuntimeException e) {
                    r.lost(e);
                    finished.add(r);
                }
            }
            if (!finished.isEmpty()) {
                // Each stays in flight until it is finished, so that close waits for its sets and memory to
                // be freed; one an interrupted close abandoned meanwhile is not this thread's any more.
                List<Request> mine = new ArrayList<>();
                synchronized (this) {
                    for (Request r : finished) {
                        if (inFlight.contains(r)) {
                            r.finishing = true;
                            mine.add(r);
                        }
                    }
                }
                for (Request r : mine) {
                    r.finish();
                }
                synchronized (this) {
                    inFlight.removeAll(mine);
                    completions += mine.size();
                    notifyAll();
                }
                idleSince = System.nanoTime();
                pollNanos = TimeUnit.MICROSECONDS.toNanos(MIN_POLL_MICROS);
                continue;
            }
            if (eventFd >= 0) {
                lib.awaitEvent(eventFd, EVENT_WAIT_MILLIS);
            } else {
                LockSupport.parkNanos(pollNanos);
                pollNanos = Math.min(pollNanos * 2, TimeUnit.MICROSECONDS.toNanos(MAX_POLL_MICROS));
            }
        }
    }

    /**
     * Refuses new requests and waits for those in flight (see the class comment); an interrupt abandons
     * them. Idempotent.
     */
    void close() {
        boolean interrupted = false;
        List<Request> abandoned = new ArrayList<>();
        Thread thread;
        boolean closeFd;
        synchronized (this) {
            closed = true;
            notifyAll();
            while (!inFlight.isEmpty() || scheduling > 0) {
                try {
                    wait();
                } catch (InterruptedException e) {
                    interrupted = true;
                    break;
                }
            }
            for (Request r : inFlight) {
                if (!r.finishing) {
                    abandoned.add(r);
                }
            }
            inFlight.removeAll(abandoned);
            abandonedAny |= !abandoned.isEmpty() || scheduling > 0;
            // Those being finished free their sets now, which must happen before nrt_close: a short wait.
            while (!inFlight.isEmpty()) {
                try {
                    wait();
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            closeFd = !abandonedAny && eventFd >= 0 && !fdClosed;
            fdClosed |= closeFd;
            thread = completer;
        }
        for (Request r : abandoned) {
            r.done.completeExceptionally(abandonedFailure());
        }
        if (thread != null && eventFd >= 0) {
            lib.signalEvent(eventFd);
        }
        if (thread != null) {
            try {
                thread.join(TimeUnit.SECONDS.toMillis(5));
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        // An abandoned request may still signal the eventfd: its number must not be reused.
        if (closeFd) {
            lib.closeFd(eventFd);
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /** One scheduled request. */
    private final class Request {
        final long seq;
        final ExecStatus status;
        final Runnable release;
        final UnaryOperator<NeuronException> explain;
        final CompletableFuture<Void> done = new CompletableFuture<>();
        /** libnrt could not say whether it completed: its memory and sets are never freed. */
        private RuntimeException lost;
        /** The completion thread is finishing it; guarded by the enclosing instance. */
        boolean finishing;

        Request(long seq, ExecStatus status, Runnable release, UnaryOperator<NeuronException> explain) {
            this.seq = seq;
            this.status = status;
            this.release = release;
            this.explain = explain;
        }

        void lost(RuntimeException why) {
            lost = why;
        }

        /** Off the in-flight list: frees what libnrt no longer uses and completes the future. */
        void finish() {
            if (lost != null) {
                done.completeExceptionally(
                        lost instanceof NeuronException
                                ? lost
                                : new NeuronException(Status.FAILURE, "nrta_is_completed", String.valueOf(lost), lost));
                return;
            }
            if (eventFd >= 0) {
                try {
                    lib.nrtaEventRegisterSeqIdCompletion(seq, -1);
                } catch (NeuronException | UnsupportedOperationException e) {
                    // Deregistering a completed request only drops libnrt's reference to the descriptor.
                }
            }
            int code = status.read();
            status.close();
            RuntimeException releaseFailure = null;
            try {
                release.run();
            } catch (RuntimeException e) {
                releaseFailure = e;
            }
            if (code == 0 && releaseFailure == null) {
                done.complete(null);
            } else if (code == 0) {
                done.completeExceptionally(releaseFailure);
            } else if (code == ExecStatus.UNWRITTEN) {
                done.completeExceptionally(new NeuronException(
                        Status.FAILURE,
                        "nrta_execute_schedule",
                        "libnrt reported the request complete without writing its status (exec_ret);"
                                + " its outputs are undefined"));
            } else {
                done.completeExceptionally(explain.apply(NrtStatus.failure(code, "nrta_execute_schedule", lib)));
            }
        }
    }
}
