package dev.nrt4j;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Properties;

/**
 * How to open a {@link NeuronRuntime}: which backend, which NeuronCores, the logical core size,
 * the instance type the reference device imitates, and the execution timeout.
 *
 * <p>Anything not set on the {@link Builder} comes from the {@code nrt4j.*} system properties and
 * then from the environment variables libnrt itself reads, so a process configured for libnrt is
 * configured for nrt4j too:
 *
 * <table>
 * <caption>Sources of each option, first match wins</caption>
 * <tr><th>option</th><th>system property</th><th>environment variable</th></tr>
 * <tr><td>backend</td><td>{@code nrt4j.backend}</td><td>{@code NRT4J_BACKEND}</td></tr>
 * <tr><td>visible cores</td><td>{@code nrt4j.visibleCores}</td><td>{@code NEURON_RT_VISIBLE_CORES}</td></tr>
 * <tr><td>number of cores</td><td>{@code nrt4j.numCores}</td><td>{@code NEURON_RT_NUM_CORES}</td></tr>
 * <tr><td>logical core size (LNC)</td><td>{@code nrt4j.lnc}</td><td>{@code NEURON_LOGICAL_NC_CONFIG}</td></tr>
 * <tr><td>instance type (reference device)</td><td>{@code nrt4j.instanceType}</td><td>{@code NRT4J_INSTANCE_TYPE}</td></tr>
 * <tr><td>execution timeout, seconds</td><td>{@code nrt4j.execTimeout}</td><td>{@code NEURON_RT_EXEC_TIMEOUT}</td></tr>
 * <tr><td>leak detection</td><td>{@code nrt4j.leakDetection}</td><td>{@code NRT4J_LEAK_DETECTION}</td></tr>
 * <tr><td>state directory</td><td>{@code nrt4j.stateDir}</td><td>{@code NRT4J_STATE_DIR}</td></tr>
 * <tr><td>profile output</td><td>{@code nrt4j.profileOutput}</td><td>{@code NRT4J_PROFILE_OUTPUT}</td></tr>
 * <tr><td>log level</td><td>{@code nrt4j.logLevel}</td><td>{@code NEURON_RT_LOG_LEVEL}</td></tr>
 * </table>
 *
 * <p>The visible-core set is kept as written ({@code "3-5,6"}); the backend checks it against the
 * cores it has when the runtime opens. Immutable and thread-safe.
 */
public final class RuntimeOptions {
    /** The setting names, each with its system property and environment variable. */
    enum Setting {
        BACKEND("nrt4j.backend", "NRT4J_BACKEND"),
        VISIBLE_CORES("nrt4j.visibleCores", "NEURON_RT_VISIBLE_CORES"),
        NUM_CORES("nrt4j.numCores", "NEURON_RT_NUM_CORES"),
        LNC("nrt4j.lnc", "NEURON_LOGICAL_NC_CONFIG"),
        INSTANCE_TYPE("nrt4j.instanceType", "NRT4J_INSTANCE_TYPE"),
        EXEC_TIMEOUT("nrt4j.execTimeout", "NEURON_RT_EXEC_TIMEOUT"),
        LEAK_DETECTION("nrt4j.leakDetection", "NRT4J_LEAK_DETECTION"),
        STATE_DIR("nrt4j.stateDir", "NRT4J_STATE_DIR"),
        PROFILE_OUTPUT("nrt4j.profileOutput", "NRT4J_PROFILE_OUTPUT"),
        LOG_LEVEL("nrt4j.logLevel", "NEURON_RT_LOG_LEVEL");

        final String property;
        final String environmentVariable;

        Setting(String property, String environmentVariable) {
            this.property = property;
            this.environmentVariable = environmentVariable;
        }
    }

    private final String backend;
    private final String visibleCores;
    private final Integer numCores;
    private final Integer lnc;
    private final String instanceType;
    private final Duration execTimeout;
    private final boolean leakDetection;
    private final Path stateDir;
    private final Path profileOutput;
    private final System.Logger.Level logLevel;

    private RuntimeOptions(Builder b) {
        this.backend = b.backend;
        this.visibleCores = b.visibleCores;
        this.numCores = b.numCores;
        this.lnc = b.lnc;
        this.instanceType = b.instanceType;
        this.execTimeout = b.execTimeout;
        this.leakDetection = b.leakDetection != null && b.leakDetection;
        this.stateDir = b.stateDir;
        this.profileOutput = b.profileOutput;
        this.logLevel = b.logLevel;
    }

    /**
     * The options this process is configured with: system properties, then environment variables.
     *
     * @return the options, read now; later changes to properties or the environment do not affect them
     * @throws NeuronException {@link Status#INVALID} if a property or variable holds a malformed value
     */
    public static RuntimeOptions defaults() {
        return builder().build();
    }

    /**
     * A builder whose unset options fall back to this process's properties and environment.
     *
     * @return a new builder with nothing set; properties and environment are read when it builds
     */
    public static Builder builder() {
        return new Builder(System.getenv(), System.getProperties());
    }

    /**
     * A builder whose unset options fall back to the given properties and environment instead of
     * the process's own (for tests and for tools that configure another process).
     *
     * @param environment stands in for {@link System#getenv()}; copied, not null, no null keys or values
     * @param properties stands in for {@link System#getProperties()}; copied (defaults included), not null
     * @return a new builder with nothing set
     * @throws NullPointerException if either argument, or an entry of {@code environment}, is null
     */
    public static Builder builder(Map<String, String> environment, Properties properties) {
        return new Builder(Map.copyOf(environment), (Properties) properties.clone());
    }

    /** {@return the backend asked for by name ({@code "native"}, {@code "reference"}), or empty to choose automatically} */
    public Optional<String> backend() {
        return Optional.ofNullable(backend);
    }

    /** {@return the visible-core set as written, e.g. {@code "0-3"}, or empty for all (or {@link #numCores()})} */
    public Optional<String> visibleCores() {
        return Optional.ofNullable(visibleCores);
    }

    /** {@return how many cores to claim when no visible-core set is given; empty or 0 means all} */
    public OptionalInt numCores() {
        return numCores == null ? OptionalInt.empty() : OptionalInt.of(numCores);
    }

    /** {@return the number of physical cores per logical core (1 or 2), or empty for the chip's default} */
    public OptionalInt lnc() {
        return lnc == null ? OptionalInt.empty() : OptionalInt.of(lnc);
    }

    /** {@return the instance type the reference device imitates, e.g. {@code trn2.48xlarge}, or empty for its default} */
    public Optional<String> instanceType() {
        return Optional.ofNullable(instanceType);
    }

    /**
     * {@return how long one execution may run before it fails with {@link Status#TIMEOUT}, or empty for
     * the backend's default} When set, it is positive (whole seconds when read from a property or variable).
     */
    public Optional<Duration> execTimeout() {
        return Optional.ofNullable(execTimeout);
    }

    /**
     * {@return the execution timeout in whole seconds, the unit libnrt's {@code NEURON_RT_EXEC_TIMEOUT}
     * takes, or empty when none is set} A fraction of a second rounds up, so no execution is cut off
     * sooner than asked: 1.5 s becomes 2.
     */
    public OptionalLong execTimeoutSeconds() {
        if (execTimeout == null) {
            return OptionalLong.empty();
        }
        long seconds = execTimeout.toSeconds() + (execTimeout.toNanosPart() == 0 ? 0 : 1);
        return OptionalLong.of(Math.max(1, seconds));
    }

    /** {@return whether resources that are never closed are reported, with the place they were allocated} */
    public boolean leakDetection() {
        return leakDetection;
    }

    /**
     * The directory backends keep their per-user state in (the reference device: which process holds
     * which cores; the native backend: its compile cache of NEFFs compiled from HLO modules), or empty
     * for its default, {@code $XDG_RUNTIME_DIR/nrt4j}, else {@code <java.io.tmpdir>/nrt4j-<uid>} (see
     * {@link dev.nrt4j.spi.StateDirectory#defaultPath(java.util.Map, Path, String)}).
     * Processes that share cores must share this directory.
     *
     * @return the state directory as given (not checked to exist), or empty for the default
     */
    public Optional<Path> stateDir() {
        return Optional.ofNullable(stateDir);
    }

    /**
     * Where the runtime writes a profile of every execution, or empty (the default) to profile nothing.
     * Nothing is written anywhere else, and nothing at all when this is empty.
     *
     * <ul>
     *   <li>The reference device writes one file at this path, created or truncated when the runtime
     *       opens and complete once it closes: a Chrome trace-event JSON object whose {@code traceEvents}
     *       array holds one complete ({@code "ph":"X"}) event per executed HLO instruction, named by its
     *       opcode, with {@code ts} and {@code dur} in microseconds since the runtime opened, {@code pid}
     *       the core the model runs on, {@code tid} its rank, and {@code args} giving the instruction's
     *       name, shapes, result bytes and, for {@code dot}, FLOPs. Perfetto and {@code chrome://tracing}
     *       open it.
     *   <li>The native backend uses the path as a directory, created if missing, and has libnrt write its
     *       own inspect profiles (NTFF) there by setting {@code NEURON_RT_INSPECT_ENABLE=1} and
     *       {@code NEURON_RT_INSPECT_OUTPUT_DIR} before {@code nrt_init}.
     * </ul>
     *
     * <p>A path that cannot be written makes opening the runtime fail with {@link Status#INVALID} naming it.
     *
     * @return the profile path as given, or empty
     */
    public Optional<Path> profileOutput() {
        return Optional.ofNullable(profileOutput);
    }

    /**
     * The least severe messages the runtime logs, if set: nrt4j's own, through {@link System.Logger}
     * {@code "dev.nrt4j"} (the application's logging configuration still decides what it shows), and on
     * the native backend libnrt's, as {@code NEURON_RT_LOG_LEVEL} set before {@code nrt_init}
     * ({@link #libnrtLogLevel()}). {@link System.Logger.Level#OFF} silences both. Unset, nrt4j logs
     * everything to its logger and libnrt keeps its own default (errors).
     *
     * @return the level, or empty
     */
    public Optional<System.Logger.Level> logLevel() {
        return Optional.ofNullable(logLevel);
    }

    /**
     * {@link #logLevel()} as libnrt's {@code NEURON_RT_LOG_LEVEL} names it: {@code ERROR}, {@code WARNING},
     * {@code INFO}, {@code DEBUG}, {@code TRACE} ({@code ALL} and {@code TRACE} alike), or {@code QUIET} for
     * {@link System.Logger.Level#OFF}.
     *
     * @return the variable's value, or empty when no level is set
     */
    public Optional<String> libnrtLogLevel() {
        if (logLevel == null) {
            return Optional.empty();
        }
        switch (logLevel) {
            case OFF:
                return Optional.of("QUIET");
            case ALL:
                return Optional.of("TRACE");
            default:
                return Optional.of(logLevel.getName());
        }
    }

    /** The level a {@code NEURON_RT_LOG_LEVEL} value names (libnrt's names and Java's), or null if none. */
    private static System.Logger.Level parseLogLevel(String value) {
        switch (value.toUpperCase(java.util.Locale.ROOT)) {
            case "QUIET":
            case "OFF":
                return System.Logger.Level.OFF;
            case "WARN":
                return System.Logger.Level.WARNING;
            default:
                for (System.Logger.Level l : System.Logger.Level.values()) {
                    if (l.getName().equalsIgnoreCase(value)) {
                        return l;
                    }
                }
                return null;
        }
    }

    /**
     * These options as the system properties ({@code nrt4j.*}) that configure another process the same
     * way, e.g. a child JVM a tool starts. Options that are not set are left out, so the other process
     * falls back to its own properties and environment for them; an execution timeout is given as
     * {@link #execTimeoutSeconds()}.
     *
     * @return property name to value, in a stable order; a new map the caller may change
     */
    public Map<String, String> toSystemProperties() {
        Map<String, String> p = new LinkedHashMap<>();
        if (backend != null) {
            p.put(Setting.BACKEND.property, backend);
        }
        if (visibleCores != null) {
            p.put(Setting.VISIBLE_CORES.property, visibleCores);
        }
        if (numCores != null) {
            p.put(Setting.NUM_CORES.property, numCores.toString());
        }
        if (lnc != null) {
            p.put(Setting.LNC.property, lnc.toString());
        }
        if (instanceType != null) {
            p.put(Setting.INSTANCE_TYPE.property, instanceType);
        }
        execTimeoutSeconds().ifPresent(seconds -> p.put(Setting.EXEC_TIMEOUT.property, Long.toString(seconds)));
        if (leakDetection) {
            p.put(Setting.LEAK_DETECTION.property, "true");
        }
        if (stateDir != null) {
            p.put(Setting.STATE_DIR.property, stateDir.toString());
        }
        if (profileOutput != null) {
            p.put(Setting.PROFILE_OUTPUT.property, profileOutput.toString());
        }
        libnrtLogLevel().ifPresent(level -> p.put(Setting.LOG_LEVEL.property, level));
        return p;
    }

    /**
     * A builder that starts from these options.
     *
     * @return a new builder with every option of this one set, so that none falls back to properties or
     *     the environment when it builds
     */
    public Builder toBuilder() {
        Builder b = new Builder(Map.of(), new Properties());
        b.backend = backend;
        b.visibleCores = visibleCores;
        b.numCores = numCores;
        b.lnc = lnc;
        b.instanceType = instanceType;
        b.execTimeout = execTimeout;
        b.leakDetection = leakDetection;
        b.stateDir = stateDir;
        b.profileOutput = profileOutput;
        b.logLevel = logLevel;
        return b;
    }

    @Override
    public String toString() {
        return "RuntimeOptions{backend=" + backend + ", visibleCores=" + visibleCores + ", numCores=" + numCores
                + ", lnc=" + lnc + ", instanceType=" + instanceType + ", execTimeout=" + execTimeout
                + ", leakDetection=" + leakDetection + ", stateDir=" + stateDir + ", profileOutput=" + profileOutput
                + ", logLevel=" + logLevel + "}";
    }

    /** Builds {@link RuntimeOptions}. Not thread-safe. */
    public static final class Builder {
        private final Map<String, String> environment;
        private final Properties properties;
        private String backend;
        private String visibleCores;
        private Integer numCores;
        private Integer lnc;
        private String instanceType;
        private Duration execTimeout;
        private Boolean leakDetection;
        private Path stateDir;
        private Path profileOutput;
        private System.Logger.Level logLevel;

        private Builder(Map<String, String> environment, Properties properties) {
            this.environment = environment;
            this.properties = properties;
        }

        /**
         * Use the backend with this name ({@code "native"} or {@code "reference"}).
         *
         * @param name the backend's name, trimmed; null or blank to fall back to the property and environment.
         *     An unknown name fails when the runtime opens ({@link Status#INVALID})
         * @return this builder
         */
        public Builder backend(String name) {
            this.backend = blankToNull(name);
            return this;
        }

        /**
         * Claim exactly these logical cores, written as libnrt reads {@code NEURON_RT_VISIBLE_CORES}.
         *
         * @param set instance-wide logical core ids and ranges, e.g. {@code "0-3"} or {@code "3-5,6"}, trimmed;
         *     null or blank to fall back. Checked by the backend when the runtime opens
         * @return this builder
         */
        public Builder visibleCores(String set) {
            this.visibleCores = blankToNull(set);
            return this;
        }

        /**
         * Claim this many cores (0: all) when no visible-core set is given.
         *
         * @param count the number of logical cores, 0 or more
         * @return this builder
         * @throws IllegalArgumentException if {@code count} is negative
         */
        public Builder numCores(int count) {
            if (count < 0) {
                throw new IllegalArgumentException("numCores must be 0 (all) or more, got " + count);
            }
            this.numCores = count;
            return this;
        }

        /**
         * Group this many physical cores into one logical core (1 or 2; Trn2 and Trn3 only).
         *
         * @param physicalCoresPerLogicalCore 1 or more; a size the chip does not support fails when the
         *     runtime opens
         * @return this builder
         * @throws IllegalArgumentException if the value is less than 1
         */
        public Builder lnc(int physicalCoresPerLogicalCore) {
            if (physicalCoresPerLogicalCore < 1) {
                throw new IllegalArgumentException("lnc must be 1 or more, got " + physicalCoresPerLogicalCore);
            }
            this.lnc = physicalCoresPerLogicalCore;
            return this;
        }

        /**
         * The instance type the reference device imitates; the native backend uses the machine's own.
         *
         * @param name an instance type name, e.g. {@code trn1.2xlarge}, trimmed; null or blank to fall back.
         *     An unknown name fails when the runtime opens
         * @return this builder
         */
        public Builder instanceType(String name) {
            this.instanceType = blankToNull(name);
            return this;
        }

        /**
         * The execution timeout: how long one execution may run before it fails with {@link Status#TIMEOUT}.
         *
         * @param timeout positive; not null
         * @return this builder
         * @throws IllegalArgumentException if {@code timeout} is zero or negative
         */
        public Builder execTimeout(Duration timeout) {
            if (timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("execTimeout must be positive, got " + timeout);
            }
            this.execTimeout = timeout;
            return this;
        }

        /**
         * Report resources that are never closed, with the stack that allocated them.
         *
         * @param enabled true to record allocation stacks (which costs time per allocation) and report leaks;
         *     false to turn it off whatever the property or environment say
         * @return this builder
         */
        public Builder leakDetection(boolean enabled) {
            this.leakDetection = enabled;
            return this;
        }

        /**
         * Keep the reference device's state (core ownership) in this directory.
         *
         * @param dir the directory; not null. Processes that share the simulated cores must use the same one
         * @return this builder
         * @throws NullPointerException if {@code dir} is null
         */
        public Builder stateDir(Path dir) {
            this.stateDir = Objects.requireNonNull(dir, "dir");
            return this;
        }

        /**
         * Profile every execution to this path (see {@link RuntimeOptions#profileOutput()}): a Chrome trace
         * file on the reference device, a directory of libnrt inspect output on the native backend.
         *
         * @param path the trace file or directory; not null. Checked when the runtime opens, which fails
         *     with {@link Status#INVALID} if it cannot be written
         * @return this builder
         * @throws NullPointerException if {@code path} is null
         */
        public Builder profileOutput(Path path) {
            this.profileOutput = Objects.requireNonNull(path, "path");
            return this;
        }

        /**
         * Log at this level and above (see {@link RuntimeOptions#logLevel()}).
         *
         * @param level the least severe messages to log; {@link System.Logger.Level#OFF} for none; not null
         * @return this builder
         * @throws NullPointerException if {@code level} is null
         */
        public Builder logLevel(System.Logger.Level level) {
            this.logLevel = Objects.requireNonNull(level, "level");
            return this;
        }

        /**
         * The options: what was set here, else the system property, else the environment variable.
         *
         * @return new immutable options; the builder may be changed and built again
         * @throws NeuronException {@link Status#INVALID} naming the property or variable whose value is malformed
         */
        public RuntimeOptions build() {
            if (backend == null) {
                backend = lookup(Setting.BACKEND);
            }
            if (visibleCores == null) {
                visibleCores = lookup(Setting.VISIBLE_CORES);
            }
            if (numCores == null) {
                numCores = lookupInt(Setting.NUM_CORES, 0);
            }
            if (lnc == null) {
                lnc = lookupInt(Setting.LNC, 1);
            }
            if (instanceType == null) {
                instanceType = lookup(Setting.INSTANCE_TYPE);
            }
            if (execTimeout == null) {
                Integer seconds = lookupInt(Setting.EXEC_TIMEOUT, 1);
                execTimeout = seconds == null ? null : Duration.ofSeconds(seconds);
            }
            if (leakDetection == null) {
                String v = lookup(Setting.LEAK_DETECTION);
                leakDetection = v != null && (v.equalsIgnoreCase("true") || v.equals("1"));
            }
            if (stateDir == null) {
                stateDir = lookupPath(Setting.STATE_DIR);
            }
            if (profileOutput == null) {
                profileOutput = lookupPath(Setting.PROFILE_OUTPUT);
            }
            if (logLevel == null) {
                logLevel = lookupLogLevel();
            }
            return new RuntimeOptions(this);
        }

        /** The setting's value: its system property's, else its environment variable's; null if neither is set. */
        private String lookup(Setting s) {
            String v = blankToNull(properties.getProperty(s.property));
            return v != null ? v : blankToNull(environment.get(s.environmentVariable));
        }

        /** Where {@link #lookup} found the setting's value, for a message that says what to fix. */
        private String sourceOf(Setting s) {
            return blankToNull(properties.getProperty(s.property)) != null
                    ? "system property " + s.property
                    : "environment variable " + s.environmentVariable;
        }

        private Path lookupPath(Setting s) {
            String v = lookup(s);
            if (v == null) {
                return null;
            }
            try {
                return Path.of(v);
            } catch (InvalidPathException e) {
                throw new NeuronException(
                        Status.INVALID,
                        "configure the runtime",
                        sourceOf(s) + " is '" + v + "', not a valid path: " + e.getReason());
            }
        }

        private System.Logger.Level lookupLogLevel() {
            String v = lookup(Setting.LOG_LEVEL);
            if (v == null) {
                return null;
            }
            System.Logger.Level level = parseLogLevel(v);
            if (level == null) {
                throw new NeuronException(
                        Status.INVALID,
                        "configure the runtime",
                        sourceOf(Setting.LOG_LEVEL) + " is '" + v
                                + "'; use ERROR, WARNING, INFO, DEBUG, TRACE or QUIET");
            }
            return level;
        }

        private Integer lookupInt(Setting s, int min) {
            String v = lookup(s);
            if (v == null) {
                return null;
            }
            int parsed;
            try {
                parsed = Integer.parseInt(v);
            } catch (NumberFormatException e) {
                throw new NeuronException(
                        Status.INVALID,
                        "configure the runtime",
                        sourceOf(s) + " is '" + v + "', not a whole number; fix or unset it");
            }
            if (parsed < min) {
                throw new NeuronException(
                        Status.INVALID,
                        "configure the runtime",
                        sourceOf(s) + " is " + parsed + "; it must be at least " + min);
            }
            return parsed;
        }

        private static String blankToNull(String s) {
            return s == null || s.isBlank() ? null : s.trim();
        }
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof RuntimeOptions)) {
            return false;
        }
        RuntimeOptions r = (RuntimeOptions) o;
        return Objects.equals(backend, r.backend)
                && Objects.equals(visibleCores, r.visibleCores)
                && Objects.equals(numCores, r.numCores)
                && Objects.equals(lnc, r.lnc)
                && Objects.equals(instanceType, r.instanceType)
                && Objects.equals(execTimeout, r.execTimeout)
                && leakDetection == r.leakDetection
                && Objects.equals(stateDir, r.stateDir)
                && Objects.equals(profileOutput, r.profileOutput)
                && logLevel == r.logLevel;
    }

    @Override
    public int hashCode() {
        return Objects.hash(
                backend,
                visibleCores,
                numCores,
                lnc,
                instanceType,
                execTimeout,
                leakDetection,
                stateDir,
                profileOutput,
                logLevel);
    }
}
