package dev.nrt4j.nativert;

import dev.nrt4j.nativert.binding.Bindings;
import dev.nrt4j.nativert.binding.LibNrt;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * Finds and binds {@code libnrt.so.1}: the path in system property {@value #PROPERTY} or environment
 * variable {@value #ENVIRONMENT}, then the name {@code libnrt.so.1} as the dynamic linker resolves it
 * (the system library path, {@code LD_LIBRARY_PATH}), then {@value #INSTALL_PATH}, where the
 * {@code aws-neuronx-runtime-lib} package installs it. Never the bare {@code libnrt.so}, which may be
 * a development symlink. Thread-safe.
 */
final class LibraryLocator {
    /** System property naming the library file. */
    static final String PROPERTY = "nrt4j.libnrt";
    /** Environment variable naming the library file. */
    static final String ENVIRONMENT = "NRT4J_LIBNRT";
    /** The SONAME libnrt is loaded by. */
    static final String SONAME = "libnrt.so.1";
    /** Where the Neuron packages install it. */
    static final String INSTALL_PATH = "/opt/aws/neuron/lib/libnrt.so.1";

    private static final String HOW_TO_GET_IT =
            "install aws-neuronx-runtime-lib, or set -D" + PROPERTY + " or " + ENVIRONMENT + " to libnrt.so.1's path";

    /** The outcome: a bound library, or every reason it could not be had. */
    static final class Result {
        final LibNrt lib;
        final String failure;

        private Result(LibNrt lib, String failure) {
            this.lib = lib;
            this.failure = failure;
        }
    }

    private LibraryLocator() {}

    /** The places to try, in order. */
    static List<String> candidates(Map<String, String> environment, Properties properties) {
        List<String> out = new ArrayList<>();
        String configured = properties.getProperty(PROPERTY, "").trim();
        if (configured.isEmpty()) {
            configured = environment.getOrDefault(ENVIRONMENT, "").trim();
        }
        if (!configured.isEmpty()) {
            out.add(configured);
        }
        out.add(SONAME);
        out.add(INSTALL_PATH);
        return out;
    }

    /** Binds the first candidate that loads through the chosen binding; never throws. */
    static Result locate(Map<String, String> environment, Properties properties) {
        String binding;
        try {
            binding = Bindings.forced();
        } catch (IllegalArgumentException e) {
            return new Result(null, e.getMessage());
        }
        List<String> absent = new ArrayList<>();
        for (String candidate : candidates(environment, properties)) {
            boolean isPath = candidate.contains("/");
            if (isPath ? Files.isRegularFile(Path.of(candidate)) : LinkerSearch.mayFind(candidate, environment)) {
                absent = null;
                break;
            }
            absent.add(candidate
                    + (isPath
                            ? ": no such file"
                            : ": not in LD_LIBRARY_PATH, /etc/ld.so.cache or the system library directories"));
        }
        if (absent != null) {
            // Nothing to bind: answered without choosing a binding, which loads JNA or checks FFM downcalls.
            return new Result(null, "libnrt could not be found (" + String.join("; ", absent) + "); " + HOW_TO_GET_IT);
        }
        if (binding == null) {
            binding = Bindings.chosen();
        }
        List<String> reasons = new ArrayList<>();
        for (String candidate : candidates(environment, properties)) {
            boolean isPath = candidate.contains("/");
            if (isPath && !Files.isRegularFile(Path.of(candidate))) {
                reasons.add(candidate + ": no such file");
                continue;
            }
            try {
                return new Result(Bindings.bind(binding, candidate), null);
            } catch (UnsatisfiedLinkError | UnsupportedOperationException | IllegalStateException e) {
                reasons.add(candidate + ": " + firstLine(e.getMessage()));
                if (e instanceof UnsupportedOperationException) {
                    break;
                }
            } catch (RuntimeException e) {
                reasons.add(candidate + ": " + e);
            }
        }
        return new Result(
                null,
                "libnrt could not be bound through " + binding + " (" + String.join("; ", reasons) + "); "
                        + HOW_TO_GET_IT);
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "failed";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
