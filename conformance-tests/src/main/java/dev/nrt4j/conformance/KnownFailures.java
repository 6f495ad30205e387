package dev.nrt4j.conformance;

import dev.nrt4j.NeuronException;
import dev.nrt4j.Status;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Cases a backend is known to fail (or contract rules it is known to break), each with the reason and,
 * for corpus cases, the worst error it may have: one per line, the name, optionally bounds such as
 * {@code max_ulp=3} or {@code max_abs=2.5e-4} (see {@link WorstError}), then the reason, separated by
 * whitespace; {@code #} starts a comment. For example:
 *
 * <pre>
 * tanh_float32_20_20  max_ulp=2  XLA CPU's own tanh is not correctly rounded either
 * cores/runtimes_on_different_cores_coexist  libnrt is process-wide
 * </pre>
 *
 * <p>Known failures are reported as failures but do not fail a run, unless they have a bound and
 * exceed it ({@link CorpusRunner}). Immutable.
 */
public final class KnownFailures {
    private final Map<String, String> reasons;
    private final Map<String, WorstError> bounds;

    private KnownFailures(Map<String, String> reasons, Map<String, WorstError> bounds) {
        this.reasons = Collections.unmodifiableMap(reasons);
        this.bounds = Collections.unmodifiableMap(bounds);
    }

    /** No known failures. */
    public static KnownFailures none() {
        return new KnownFailures(Map.of(), Map.of());
    }

    /**
     * The list nrt4j ships for a backend ({@code known-failures-<backend>.txt} in this package), or none.
     */
    public static KnownFailures bundled(String backend) {
        return resource("known-failures-" + backend + ".txt", "the bundled known failures of " + backend);
    }

    /**
     * The contract rules nrt4j ships as known differences of a backend
     * ({@code known-rule-differences-<backend>.txt} in this package, rule ids with reasons), or none.
     */
    public static KnownFailures bundledRuleDifferences(String backend) {
        return resource(
                "known-rule-differences-" + backend + ".txt", "the bundled known rule differences of " + backend);
    }

    private static KnownFailures resource(String name, String source) {
        InputStream in = KnownFailures.class.getResourceAsStream(name);
        if (in == null) {
            return none();
        }
        try (Reader r = new InputStreamReader(in, StandardCharsets.UTF_8)) {
            return parse(r, source);
        } catch (IOException e) {
            throw new NeuronException(Status.FAILURE, "read " + source, e.toString(), e);
        }
    }

    /**
     * Reads a list from a file.
     *
     * @throws NeuronException {@link Status#INVALID} if it cannot be read, a line has no reason, or a bound is
     *     not a number
     */
    public static KnownFailures read(Path file) {
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            return parse(r, file.toString());
        } catch (IOException e) {
            throw new NeuronException(Status.INVALID, "read known failures " + file, e.toString(), e);
        }
    }

    private static KnownFailures parse(Reader reader, String source) throws IOException {
        Map<String, String> out = new LinkedHashMap<>();
        Map<String, WorstError> bounds = new LinkedHashMap<>();
        BufferedReader r = new BufferedReader(reader);
        String line;
        int number = 0;
        while ((line = r.readLine()) != null) {
            number++;
            String content = line.strip();
            if (content.isEmpty() || content.startsWith("#")) {
                continue;
            }
            String[] parts = content.split("\\s+", 2);
            String name = parts[0];
            String rest = parts.length < 2 ? "" : parts[1];
            WorstError bound = WorstError.NONE;
            while (!rest.isEmpty()) {
                String[] next = rest.split("\\s+", 2);
                WorstError withToken;
                try {
                    withToken = bound.withToken(next[0]);
                } catch (IllegalArgumentException e) {
                    throw new NeuronException(
                            Status.INVALID,
                            "read known failures " + source,
                            "line " + number + " (" + name + "): " + e.getMessage());
                }
                if (withToken == null) {
                    break;
                }
                bound = withToken;
                rest = next.length < 2 ? "" : next[1];
            }
            if (rest.isEmpty()) {
                throw new NeuronException(
                        Status.INVALID,
                        "read known failures " + source,
                        "line " + number + " names '" + name + "' without a reason; write the reason after the name"
                                + (bound.isEmpty() ? "" : " and its bound"));
            }
            out.put(name, rest);
            if (!bound.isEmpty()) {
                bounds.put(name, bound);
            }
        }
        return new KnownFailures(out, bounds);
    }

    /** The reason a case is known to fail, if it is. */
    public Optional<String> reason(String caseName) {
        return Optional.ofNullable(reasons.get(caseName));
    }

    /**
     * The worst error a known failure may have, if its line gives one: a failure beyond it is no longer
     * the known one.
     */
    public Optional<WorstError> bound(String caseName) {
        return Optional.ofNullable(bounds.get(caseName));
    }

    /** Every known failure's reason, by case name. */
    public Map<String, String> all() {
        return reasons;
    }
}
