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
 * Cases a backend is known to fail, each with the reason: one per line, the case name, whitespace,
 * then the reason; {@code #} starts a comment. Known failures are reported as failures but do not
 * fail a run. Immutable.
 */
public final class KnownFailures {
    private final Map<String, String> reasons;

    private KnownFailures(Map<String, String> reasons) {
        this.reasons = Collections.unmodifiableMap(reasons);
    }

    /** No known failures. */
    public static KnownFailures none() {
        return new KnownFailures(Map.of());
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
        return resource("known-rule-differences-" + backend + ".txt", "the bundled known rule differences of " + backend);
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
     * @throws NeuronException {@link Status#INVALID} if it cannot be read or a line has no reason
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
            if (parts.length < 2) {
                throw new NeuronException(Status.INVALID, "read known failures " + source,
                        "line " + number + " names case '" + parts[0] + "' without a reason; write the reason after the name");
            }
            out.put(parts[0], parts[1]);
        }
        return new KnownFailures(out);
    }

    /** The reason a case is known to fail, if it is. */
    public Optional<String> reason(String caseName) {
        return Optional.ofNullable(reasons.get(caseName));
    }

    /** Every known failure, by case name. */
    public Map<String, String> all() {
        return reasons;
    }
}
