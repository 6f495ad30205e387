package dev.nrt4j;

import dev.nrt4j.spi.BackendAvailability;
import dev.nrt4j.spi.BackendProvider;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;

/**
 * Finds backends on the class path and chooses one: the one named in the options, else the
 * available one of highest priority. A provider that fails to load is reported, never fatal, so a
 * broken or too-new backend cannot hide the others.
 */
final class BackendRegistry {
    /**
     * A provider found on the class path with its answer to {@code probe}, or the reason it could not be
     * loaded. The probe runs when the answer is first asked for: choosing stops at the first available
     * backend (or the one named), so the others, whose probes may load native libraries, are not probed.
     */
    static final class Candidate {
        final String name;
        final int priority;
        final BackendProvider provider;
        private final RuntimeOptions options;
        private BackendAvailability availability;

        Candidate(String name, int priority, BackendProvider provider, BackendAvailability availability) {
            this.name = name;
            this.priority = priority;
            this.provider = provider;
            this.options = null;
            this.availability = availability;
        }

        private Candidate(String name, int priority, BackendProvider provider, RuntimeOptions options) {
            this.name = name;
            this.priority = priority;
            this.provider = provider;
            this.options = options;
        }

        /** The provider's answer to {@code probe}, asked once. */
        BackendAvailability availability() {
            if (availability == null) {
                try {
                    availability = provider.probe(options);
                } catch (RuntimeException | LinkageError e) {
                    availability = BackendAvailability.unavailable("probe failed: " + e);
                }
            }
            return availability;
        }
    }

    private BackendRegistry() {}

    static List<Candidate> discover(RuntimeOptions options) {
        List<Candidate> found = new ArrayList<>();
        Iterator<BackendProvider> it =
                ServiceLoader.load(BackendProvider.class, classLoader()).iterator();
        while (true) {
            BackendProvider p;
            try {
                if (!it.hasNext()) {
                    break;
                }
                p = it.next();
            } catch (ServiceConfigurationError | LinkageError e) {
                found.add(new Candidate(
                        "(unloadable provider)",
                        Integer.MIN_VALUE,
                        null,
                        BackendAvailability.unavailable("its class could not be loaded: " + withCauses(e))));
                continue;
            }
            String name;
            int priority;
            try {
                name = p.name();
                priority = p.priority();
            } catch (RuntimeException | LinkageError e) {
                found.add(new Candidate(
                        p.getClass().getName(),
                        Integer.MIN_VALUE,
                        null,
                        BackendAvailability.unavailable("it failed to say its name or priority: " + withCauses(e))));
                continue;
            }
            found.add(new Candidate(name, priority, p, options));
        }
        found.sort(Comparator.comparingInt((Candidate c) -> c.priority).reversed());
        return found;
    }

    /**
     * The error and its causes: ServiceLoader's own message only says that a provider "could not be
     * instantiated", while the reason (the exception its constructor threw, a class built for a newer
     * JDK, a missing dependency) is in the causes.
     */
    private static String withCauses(Throwable e) {
        StringBuilder out = new StringBuilder(String.valueOf(e));
        int depth = 0;
        for (Throwable c = e.getCause(); c != null && depth < 8; c = c.getCause(), depth++) {
            out.append("; caused by ").append(c);
        }
        return out.toString();
    }

    private static ClassLoader classLoader() {
        ClassLoader context = Thread.currentThread().getContextClassLoader();
        return context != null ? context : BackendRegistry.class.getClassLoader();
    }

    /**
     * The candidate {@code open} would use, or empty when none fits; {@link #explainNoChoice} says why.
     */
    static Optional<Candidate> choose(List<Candidate> candidates, RuntimeOptions options) {
        if (options.backend().isPresent()) {
            String wanted = options.backend().get();
            return candidates.stream()
                    .filter(c ->
                            c.name.equalsIgnoreCase(wanted) && c.availability().isAvailable())
                    .findFirst();
        }
        return candidates.stream().filter(c -> c.availability().isAvailable()).findFirst();
    }

    static NeuronException explainNoChoice(List<Candidate> candidates, RuntimeOptions options) {
        String summary = describe(candidates);
        if (options.backend().isPresent()) {
            String wanted = options.backend().get();
            Optional<Candidate> named = candidates.stream()
                    .filter(c -> c.name.equalsIgnoreCase(wanted))
                    .findFirst();
            if (named.isEmpty()) {
                return new NeuronException(
                        Status.INVALID,
                        "open runtime",
                        "no backend is named '" + wanted + "' (set by nrt4j.backend, NRT4J_BACKEND or RuntimeOptions);"
                                + " backends on the class path: " + summary);
            }
            return new NeuronException(
                    Status.FAILURE,
                    "open runtime",
                    "backend '" + wanted + "' is unavailable: "
                            + named.get().availability().detail()
                            + "; choose another with -Dnrt4j.backend=NAME (backends: " + summary + ")");
        }
        return new NeuronException(
                Status.FAILURE,
                "open runtime",
                candidates.isEmpty()
                        ? "no nrt4j backend is on the class path; add backend-java-ref (the reference device) or backend-native"
                        : "no backend is available: " + summary);
    }

    private static String describe(List<Candidate> candidates) {
        if (candidates.isEmpty()) {
            return "none";
        }
        List<String> parts = new ArrayList<>();
        for (Candidate c : candidates) {
            parts.add(c.name + " (" + c.availability() + ")");
        }
        return String.join(", ", parts);
    }
}
