package dev.nrt4j.device;

import dev.nrt4j.device.CoreSelectionException.Reason;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.IntPredicate;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * Chooses the logical NeuronCores a process reserves, with libnrt's rules for
 * {@code NEURON_RT_VISIBLE_CORES} and {@code NEURON_RT_NUM_CORES}.
 *
 * <p>{@code NEURON_RT_VISIBLE_CORES} names the cores: a single id ({@code "3"}), an inclusive
 * range ({@code "0-3"}), a comma-separated list ({@code "3,4,5,6"}) or a mix ({@code "3-5,6"}).
 * Together the elements must form one contiguous, increasing run, and every id must be below the
 * number of logical cores. {@code NEURON_RT_NUM_CORES} is a count; 0 means all cores.
 * {@code NEURON_RT_VISIBLE_CORES} wins: when it is set, the count is not read at all, so even a
 * malformed count is ignored. When neither is set, the process takes all cores.
 *
 * <p>Choices where libnrt's behaviour is not documented: {@code null} means "not set", but a
 * value that is present and empty or blank is {@link Reason#MALFORMED}. Whitespace around an
 * element, an id, or the whole value is ignored ({@code " 3 - 5 , 6 "} is {@code 3-6});
 * whitespace inside a number is not. Ids are ASCII decimal digits, leading zeros allowed
 * ({@code "007"} is 7). A leading sign is malformed, so a negative id is
 * {@link Reason#MALFORMED}. A range written backwards ({@code "3-1"}) is {@link Reason#MALFORMED};
 * elements out of order ({@code "5,4"}) or repeated ({@code "3,3"}) are
 * {@link Reason#NOT_CONTIGUOUS}. Faults are reported in the order syntax, then contiguity, then
 * range, so a value that is both non-contiguous and out of range is reported as non-contiguous.
 *
 * <p>Stateless and thread-safe.
 */
public final class CoreSelection {
    /** The variable naming the cores to reserve. */
    public static final String VISIBLE_CORES_ENV = "NEURON_RT_VISIBLE_CORES";
    /** The variable giving the number of cores to reserve. */
    public static final String NUM_CORES_ENV = "NEURON_RT_NUM_CORES";

    private static final Pattern DIGITS = Pattern.compile("[0-9]+");
    private static final String FORMS =
            "use a single id (\"3\"), an inclusive range (\"0-3\"), a list (\"3,4,5\")" + " or a mix (\"3-5,6\")";

    private CoreSelection() {}

    /**
     * The cores named by a {@code NEURON_RT_VISIBLE_CORES} value.
     *
     * @param spec       the value; not null
     * @param totalCores the instance's logical core count at the chosen LNC, at least 1
     * @return the one contiguous run of global core ids the value names
     * @throws CoreSelectionException   with {@link Reason#MALFORMED}, {@link Reason#NOT_CONTIGUOUS} or
     *                                  {@link Reason#OUT_OF_RANGE} if the value selects no valid run
     * @throws IllegalArgumentException if {@code totalCores} is below 1
     * @throws NullPointerException     if {@code spec} is null
     */
    public static VisibleCores parseVisibleCores(String spec, int totalCores) {
        Objects.requireNonNull(spec, "spec");
        requirePositive(totalCores);
        List<long[]> ranges = parseRanges(spec, totalCores);
        for (int i = 1; i < ranges.size(); i++) {
            long[] prev = ranges.get(i - 1);
            long next = ranges.get(i)[0];
            if (next != prev[1] + 1) {
                throw notContiguous(spec, totalCores, prev, next);
            }
        }
        long first = ranges.get(0)[0];
        long last = ranges.get(ranges.size() - 1)[1];
        if (last >= totalCores) {
            throw new CoreSelectionException(
                    Reason.OUT_OF_RANGE,
                    VISIBLE_CORES_ENV,
                    spec,
                    totalCores,
                    "names core " + (first >= totalCores ? first : last) + ", which does not exist");
        }
        return VisibleCores.range((int) first, (int) (last - first + 1));
    }

    private static CoreSelectionException notContiguous(String spec, int total, long[] prev, long next) {
        String problem;
        if (next >= prev[0] && next <= prev[1]) {
            problem = "is not contiguous: core " + next + " appears twice";
        } else if (next < prev[0]) {
            problem = "is not contiguous: core " + next + " comes after core " + prev[1] + ", but ids must increase";
        } else {
            problem = "is not contiguous: core " + next + " follows core " + prev[1] + ", skipping "
                    + (next - 1 == prev[1] + 1 ? Long.toString(prev[1] + 1) : (prev[1] + 1) + "-" + (next - 1));
        }
        return new CoreSelectionException(
                Reason.NOT_CONTIGUOUS,
                VISIBLE_CORES_ENV,
                spec,
                total,
                problem + "; the cores must be one increasing run such as \"3-6\"");
    }

    // Each element as an inclusive [first, last]; ids too large for a long are clamped, which
    // still reports them as out of range.
    private static List<long[]> parseRanges(String spec, int total) {
        if (spec.isBlank()) {
            throw malformed(spec, total, "is empty");
        }
        List<long[]> ranges = new ArrayList<>();
        for (String raw : spec.split(",", -1)) {
            String element = raw.strip();
            if (element.isEmpty()) {
                throw malformed(spec, total, "has an empty list element");
            }
            int dash = element.indexOf('-', 1);
            if (dash < 0) {
                long id = parseId(element, spec, total);
                ranges.add(new long[] {id, id});
            } else {
                long from = parseId(element.substring(0, dash).strip(), spec, total);
                long to = parseId(element.substring(dash + 1).strip(), spec, total);
                if (to < from) {
                    throw malformed(
                            spec,
                            total,
                            "has the range \"" + element + "\", which runs backwards;" + " write the lower id first");
                }
                ranges.add(new long[] {from, to});
            }
        }
        return ranges;
    }

    private static long parseId(String text, String spec, int total) {
        if (text.startsWith("-") && DIGITS.matcher(text.substring(1).strip()).matches()) {
            throw malformed(spec, total, "has the negative id \"" + text + "\"");
        }
        if (!DIGITS.matcher(text).matches()) {
            throw malformed(spec, total, "has \"" + text + "\", which is not a core id; " + FORMS);
        }
        return text.length() > 18 ? Long.MAX_VALUE - 1 : Long.parseLong(text);
    }

    private static CoreSelectionException malformed(String spec, int total, String problem) {
        return new CoreSelectionException(Reason.MALFORMED, VISIBLE_CORES_ENV, spec, total, "is malformed: " + problem);
    }

    /**
     * The number of cores a {@code NEURON_RT_NUM_CORES} value asks for; 0 means all, so the
     * result is {@code totalCores}. Whitespace around the number is ignored.
     *
     * @param spec       the value; not null
     * @param totalCores the instance's logical core count at the chosen LNC, at least 1
     * @return the number of cores to reserve, from 1 to {@code totalCores}
     * @throws CoreSelectionException   with {@link Reason#MALFORMED} if the value is not a
     *                                  non-negative integer, or {@link Reason#NOT_ENOUGH_CORES} if it
     *                                  exceeds {@code totalCores}
     * @throws IllegalArgumentException if {@code totalCores} is below 1
     * @throws NullPointerException     if {@code spec} is null
     */
    public static int parseNumCores(String spec, int totalCores) {
        Objects.requireNonNull(spec, "spec");
        requirePositive(totalCores);
        String text = spec.strip();
        if (!DIGITS.matcher(text).matches()) {
            throw new CoreSelectionException(
                    Reason.MALFORMED,
                    NUM_CORES_ENV,
                    spec,
                    totalCores,
                    "is malformed: it must be a non-negative whole number of cores (0 means all)");
        }
        if (text.length() > 18 || Long.parseLong(text) > totalCores) {
            throw new CoreSelectionException(
                    Reason.NOT_ENOUGH_CORES, NUM_CORES_ENV, spec, totalCores, "asks for more cores than exist");
        }
        int n = Integer.parseInt(text);
        return n == 0 ? totalCores : n;
    }

    /**
     * The cores a process reserves when every core is free: the named cores if
     * {@code visibleCores} is set, else cores {@code 0 .. n-1} for a count {@code n}, else all.
     *
     * @param visibleCores the {@code NEURON_RT_VISIBLE_CORES} value, or null if unset
     * @param numCores     the {@code NEURON_RT_NUM_CORES} value, or null if unset
     * @param totalCores   the instance's logical core count at the chosen LNC, at least 1
     * @return the run of global core ids to reserve
     * @throws CoreSelectionException   if the value that applies selects no valid run
     * @throws IllegalArgumentException if {@code totalCores} is below 1
     */
    public static VisibleCores select(String visibleCores, String numCores, int totalCores) {
        return select(visibleCores, numCores, totalCores, core -> true);
    }

    /**
     * The cores a process reserves when only some cores are free. Named cores must all be free.
     * A count takes the lowest run of that many consecutive free cores (inferred: libnrt documents
     * only that it picks free cores, and a process's cores are always one run). Taking all cores
     * needs all of them free.
     *
     * @param visibleCores the {@code NEURON_RT_VISIBLE_CORES} value, or null if unset
     * @param numCores     the {@code NEURON_RT_NUM_CORES} value, or null if unset
     * @param totalCores   the instance's logical core count at the chosen LNC, at least 1
     * @param free         tells whether a global core id is free (not held by another process); not null,
     *                     and called only with ids from 0 to {@code totalCores - 1}
     * @return the run of free global core ids to reserve
     * @throws CoreSelectionException   if the value that applies selects no valid run, or
     *                                  {@link Reason#NOT_ENOUGH_CORES} if the cores it needs are not free
     * @throws IllegalArgumentException if {@code totalCores} is below 1
     */
    public static VisibleCores select(String visibleCores, String numCores, int totalCores, IntPredicate free) {
        requirePositive(totalCores);
        Objects.requireNonNull(free, "free");
        if (visibleCores != null) {
            VisibleCores named = parseVisibleCores(visibleCores, totalCores);
            List<Integer> busy =
                    named.ids().stream().filter(id -> !free.test(id)).collect(Collectors.toList());
            if (!busy.isEmpty()) {
                throw new CoreSelectionException(
                        Reason.NOT_ENOUGH_CORES,
                        VISIBLE_CORES_ENV,
                        visibleCores,
                        totalCores,
                        "names core" + (busy.size() == 1 ? " " : "s ") + join(busy) + ", in use by another process");
            }
            return named;
        }
        int wanted = numCores == null ? totalCores : parseNumCores(numCores, totalCores);
        int run = 0;
        for (int id = 0; id < totalCores; id++) {
            run = free.test(id) ? run + 1 : 0;
            if (run == wanted) {
                return VisibleCores.range(id - wanted + 1, wanted);
            }
        }
        List<Integer> freeIds =
                IntStream.range(0, totalCores).filter(free).boxed().collect(Collectors.toList());
        throw new CoreSelectionException(
                Reason.NOT_ENOUGH_CORES,
                NUM_CORES_ENV,
                numCores,
                totalCores,
                "needs " + wanted + " consecutive free core" + (wanted == 1 ? "" : "s") + ", but the free cores are "
                        + (freeIds.isEmpty() ? "none" : join(freeIds)));
    }

    /**
     * As {@link #select(String, String, int)}, reading both variables from {@code environment}
     * (typically {@link System#getenv()}).
     *
     * @param environment  the environment to read; not null, other variables are ignored
     * @param totalCores   the instance's logical core count at the chosen LNC, at least 1
     * @return the run of global core ids to reserve
     * @throws CoreSelectionException   if the value that applies selects no valid run
     * @throws IllegalArgumentException if {@code totalCores} is below 1
     */
    public static VisibleCores fromEnvironment(Map<String, String> environment, int totalCores) {
        return select(environment.get(VISIBLE_CORES_ENV), environment.get(NUM_CORES_ENV), totalCores);
    }

    private static String join(List<Integer> ids) {
        return ids.stream().map(String::valueOf).collect(Collectors.joining(", "));
    }

    private static void requirePositive(int totalCores) {
        if (totalCores < 1) {
            throw new IllegalArgumentException("an instance has at least one logical core, not " + totalCores);
        }
    }
}
