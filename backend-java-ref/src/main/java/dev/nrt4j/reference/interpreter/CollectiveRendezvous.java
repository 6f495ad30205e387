package dev.nrt4j.reference.interpreter;

import dev.nrt4j.NeuronException;
import dev.nrt4j.Status;
import dev.nrt4j.hlo.HloInstruction;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The meeting point of the {@code ranks} executions of one program instance: one slot per collective
 * sequence number collects every rank's contribution, and each rank leaves with all of them.
 *
 * <p>A slot lives from its first arrival until its last reader leaves, so a later execution of the
 * same instance (which counts its collectives from 0 again) finds no stale slot. When a rank's
 * deadline passes before everyone arrived, that rank fails with {@link Status#TIMEOUT} and the
 * rendezvous breaks: the ranks still waiting, and any rank arriving afterwards, fail at once with
 * {@link Status#EXEC_HW_ERR_COLLECTIVES} instead of waiting out their own timeouts, as the
 * collectives of a real device fail together. A broken rendezvous holds no slots and stays broken
 * until {@link #reset()}, because ranks of the failed execution may still be on their way to it.
 */
public final class CollectiveRendezvous implements Rendezvous {
    /** How often a waiting rank whose execution can be cancelled checks whether it was. */
    static final long CANCEL_POLL_NANOS = 50_000_000L;

    private final int ranks;
    private final ReentrantLock lock = new ReentrantLock();
    private final Map<Long, Slot> slots = new HashMap<>();
    /** Why the rendezvous broke, or null while it is healthy. */
    private String broken;

    private final class Slot {
        final HloInstruction collective;
        final Value[] values = new Value[ranks];
        final Condition complete = lock.newCondition();
        int arrived;
        int left;

        Slot(HloInstruction collective) {
            this.collective = collective;
        }
    }

    /** A rendezvous for a program instance of {@code ranks} ranks. */
    public CollectiveRendezvous(int ranks) {
        if (ranks < 1) {
            throw new IllegalArgumentException("a rendezvous needs at least one rank, not " + ranks);
        }
        this.ranks = ranks;
    }

    /** How many ranks meet here. */
    public int ranks() {
        return ranks;
    }

    /** Collectives some rank has reached and not every rank has left yet. */
    int openSlots() {
        lock.lock();
        try {
            return slots.size();
        } finally {
            lock.unlock();
        }
    }

    /** Whether a collective failed; exchanges then fail at once until {@link #reset()}. */
    public boolean isBroken() {
        lock.lock();
        try {
            return broken != null;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Makes a broken rendezvous usable again; call it only once every rank of the failed execution has
     * returned, or a straggler could join the next execution's collectives.
     */
    public void reset() {
        lock.lock();
        try {
            broken = null;
            slots.clear();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public List<Value> exchange(
            long sequence, int rank, HloInstruction collective, Value contribution, long deadlineNanos) {
        return exchange(sequence, rank, collective, contribution, deadlineNanos, Cancellation.NEVER);
    }

    /**
     * {@inheritDoc}
     *
     * <p>A waiting rank looks at {@code cancellation} every {@link #CANCEL_POLL_NANOS}; once it is raised
     * the rank fails with {@link Status#CLOSED} and breaks the rendezvous, so the other ranks stop too.
     */
    @Override
    public List<Value> exchange(
            long sequence,
            int rank,
            HloInstruction collective,
            Value contribution,
            long deadlineNanos,
            Cancellation cancellation) {
        if (rank < 0 || rank >= ranks) {
            throw new IllegalArgumentException("rank " + rank + " is outside [0, " + ranks + ")");
        }
        if (contribution == null) {
            throw new IllegalArgumentException(
                    "rank " + rank + " contributes nothing to " + describe(collective, sequence));
        }
        lock.lock();
        try {
            if (broken != null) {
                throw failed(collective, sequence, broken);
            }
            Slot s = slots.computeIfAbsent(sequence, k -> new Slot(collective));
            if (s.values[rank] != null) {
                throw new IllegalArgumentException(
                        "rank " + rank + " reached " + describe(collective, sequence) + " twice");
            }
            if (!s.collective.name().equals(collective.name()) || s.collective.opcode() != collective.opcode()) {
                // The ranks no longer execute the same instruction stream; any exchange from here on is meaningless.
                breakAll("rank " + rank + " reached " + describe(collective, sequence) + " while other ranks reached "
                        + describe(s.collective, sequence));
                throw failed(collective, sequence, broken);
            }
            s.values[rank] = contribution;
            s.arrived++;
            if (s.arrived == ranks) {
                s.complete.signalAll();
            }
            while (s.arrived < ranks && broken == null) {
                long wait = deadlineNanos == Long.MAX_VALUE ? Long.MAX_VALUE : deadlineNanos - System.nanoTime();
                if (wait <= 0) {
                    String why = "rank" + (ranks - s.arrived == 1 ? " " : "s ") + missing(s) + " did not reach "
                            + describe(collective, sequence) + " before rank " + rank + "'s collective timeout";
                    breakAll(why);
                    throw new NeuronException(
                            Status.TIMEOUT,
                            "execute " + describe(collective, sequence) + " as rank " + rank,
                            why + "; check that every rank of the program is executing, or raise the timeout");
                }
                if (cancellation.isCancelled()) {
                    String why = "rank " + rank + "'s runtime was closed while it waited at "
                            + describe(collective, sequence);
                    breakAll(why);
                    throw new NeuronException(
                            Status.CLOSED,
                            "execute " + describe(collective, sequence) + " as rank " + rank,
                            why + "; close the runtime only after its executions have returned");
                }
                if (cancellation != Cancellation.NEVER) {
                    // Nothing signals the condition on close, so a cancellable rank wakes now and then to look.
                    wait = Math.min(wait, CANCEL_POLL_NANOS);
                }
                try {
                    if (wait == Long.MAX_VALUE) {
                        s.complete.await();
                    } else {
                        s.complete.awaitNanos(wait);
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    breakAll("rank " + rank + " was interrupted while waiting at " + describe(collective, sequence));
                    throw failed(collective, sequence, broken);
                }
            }
            if (s.arrived < ranks) {
                throw failed(collective, sequence, broken);
            }
            // A complete slot is still read even if a faster rank broke the rendezvous at a later collective.
            List<Value> all = List.of(s.values);
            if (++s.left == ranks) {
                slots.remove(sequence, s);
            }
            return all;
        } finally {
            lock.unlock();
        }
    }

    /** Breaks the rendezvous (under the lock): wakes every waiting rank and drops every slot. */
    private void breakAll(String why) {
        broken = why;
        for (Slot s : slots.values()) {
            s.complete.signalAll();
        }
        slots.clear();
    }

    /** The ranks that have not arrived at {@code s}, as "3" or "2, 3". */
    private String missing(Slot s) {
        StringBuilder out = new StringBuilder();
        for (int r = 0; r < ranks; r++) {
            if (s.values[r] == null) {
                out.append(out.length() == 0 ? "" : ", ").append(r);
            }
        }
        return out.toString();
    }

    private static NeuronException failed(HloInstruction collective, long sequence, String why) {
        return new NeuronException(
                Status.EXEC_HW_ERR_COLLECTIVES,
                "execute " + describe(collective, sequence),
                "the collectives of this program failed: " + why);
    }

    private static String describe(HloInstruction collective, long sequence) {
        return "collective #" + sequence + " " + collective.name() + " (" + collective.opcode() + ")";
    }

    @Override
    public String toString() {
        return "CollectiveRendezvous[" + ranks + " ranks" + (broken != null ? ", broken" : "") + "]";
    }
}
