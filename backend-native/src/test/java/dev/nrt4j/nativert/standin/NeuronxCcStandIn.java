package dev.nrt4j.nativert.standin;

import dev.nrt4j.NeuronException;
import dev.nrt4j.hlo.HloModule;
import dev.nrt4j.hlo.proto.HloProtoReader;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * A stand-in for {@code neuronx-cc} that compiles HLO modules into NEFFs the libnrt test double runs, so
 * that the native backend's whole path (HLO module, compiler, NEFF, libnrt) runs without Neuron hardware
 * or the Neuron compiler. The test build writes an executable script, {@code target/libnrt-double/neuronx-cc},
 * that runs this class.
 *
 * <p>Command line, as the native backend calls the real compiler (research notes hlo.md section 5.4):
 * <pre>
 * neuronx-cc compile --framework=XLA FILE.pb --output OUT.neff --target=T [--auto-cast=none] [--lnc=N]
 * neuronx-cc --version
 * </pre>
 * Options take {@code --name=value} or {@code --name value}. Other options the real compiler documents are
 * accepted and have no effect; unknown ones are ignored with a warning line (an unknown option given as
 * {@code --name value} is taken as a flag, its value then as a second input file, which is refused).
 *
 * <p>Exit status: 0 compiled (or version / help printed); 2 bad arguments, with one error line and the
 * usage line; 1 the module cannot be read or the NEFF cannot be written, one error line; 70 the module has
 * an operation the stand-in cannot lower ({@link HloLowering}), one line
 * {@code ERROR [nrt4j stand-in] unsupported: <opcode> <instruction name> (<reason>)}, as the real compiler
 * fails on operators it does not support.
 */
public final class NeuronxCcStandIn {
    /** The version it reports; the real compiler prints {@code NeuronX Compiler version 2.x.y.z+hash}. */
    public static final String VERSION = "2.0.0+nrt4j-standin";
    /** Exit status for an operation the stand-in cannot lower. */
    public static final int EXIT_UNSUPPORTED = 70;
    /** Exit status for bad arguments. */
    public static final int EXIT_USAGE = 2;
    /** Exit status for an unreadable module or an unwritable output. */
    public static final int EXIT_IO = 1;

    static final String USAGE =
            "usage: neuronx-cc compile --framework=XLA FILE.pb --output OUT.neff --target=inf2|trn1|trn1n|trn2|trn3"
                    + " [--auto-cast=none] [--lnc=N]  |  neuronx-cc --version";
    private static final String TAG = "[nrt4j stand-in] ";

    /** Options of the real compiler that take a value; all but framework, target, output, auto-cast and lnc are ignored. */
    private static final Set<String> VALUE_OPTIONS = Set.of(
            "framework",
            "target",
            "output",
            "auto-cast",
            "auto-cast-type",
            "lnc",
            "logical-nc-config",
            "model-type",
            "optlevel",
            "logfile",
            "verbose",
            "distribution-strategy",
            "native-int64",
            "implicit-integer-downcast",
            "tensorizer-options",
            "pipeline",
            "workdir",
            "cache_dir");
    /** Options of the real compiler that are flags; none changes what the stand-in writes. */
    private static final Set<String> FLAG_OPTIONS = Set.of(
            "enable-saturate-infinity",
            "enable-fast-context-switch",
            "enable-fast-loading-neuron-binaries",
            "enable-mixed-precision-accumulation",
            "disable-mixed-precision-accumulation",
            "no-cache");

    private static final Set<String> TARGETS = Set.of("inf2", "trn1", "trn1n", "trn2", "trn3");

    private NeuronxCcStandIn() {}

    /**
     * Runs the command line and exits with its status.
     *
     * @param args the arguments
     */
    public static void main(String[] args) {
        System.exit(run(Arrays.asList(args), System.out, System.err));
    }

    /** What a command line asked for. */
    private static final class Request {
        String command;
        final List<String> files = new ArrayList<>();
        String framework;
        String target;
        String output;
        String autoCast = "none";
        int lnc = 1;
    }

    /** A bad command line: the message goes out with the usage line. */
    private static final class UsageError extends Exception {
        private static final long serialVersionUID = 1L;

        UsageError(String message) {
            super(message);
        }
    }

    /**
     * Runs a command line, writing messages to {@code out} and {@code err}.
     *
     * @return the exit status
     */
    public static int run(List<String> args, PrintStream out, PrintStream err) {
        if (args.contains("--version")) {
            out.println("NeuronX Compiler version " + VERSION);
            return 0;
        }
        if (args.contains("--help") || args.contains("-h")) {
            out.println(USAGE);
            return 0;
        }
        Request r;
        try {
            r = parse(args, err);
        } catch (UsageError e) {
            err.println("ERROR " + TAG + e.getMessage());
            err.println(USAGE);
            return EXIT_USAGE;
        }
        Path input = Path.of(r.files.get(0));
        HloModule module;
        try {
            module = HloProtoReader.read(input);
        } catch (NeuronException e) {
            err.println("ERROR " + TAG + "cannot read " + input + ": " + oneLine(e.getMessage()));
            return EXIT_IO;
        }
        DoubleProgram program;
        try {
            program = HloLowering.lower(module, input.toString());
        } catch (HloLowering.Unsupported e) {
            err.println("ERROR " + TAG + "unsupported: " + oneLine(e.getMessage()));
            return EXIT_UNSUPPORTED;
        }
        byte[] neff = program.neff(module.name(), VERSION, r.lnc);
        Path output = Path.of(r.output).toAbsolutePath();
        try {
            // Written beside the destination and moved: a reader never sees half a NEFF. Not createTempFile,
            // which makes the file private; the NEFF gets the mode the user's umask gives, as a compiler's does.
            Path tmp = output.resolveSibling(
                    output.getFileName() + "." + ProcessHandle.current().pid() + ".tmp");
            try {
                Files.write(tmp, neff);
                Files.move(tmp, output, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException | RuntimeException e) {
            err.println("ERROR " + TAG + "cannot write " + output + ": " + oneLine(String.valueOf(e)));
            return EXIT_IO;
        }
        out.println("Compiler status PASS");
        return 0;
    }

    private static Request parse(List<String> args, PrintStream err) throws UsageError {
        Request r = new Request();
        for (int k = 0; k < args.size(); k++) {
            String a = args.get(k);
            if (a.startsWith("-O") && a.length() == 3 && "123".indexOf(a.charAt(2)) >= 0) {
                continue;
            }
            if (a.equals("-lnc")) {
                a = "--lnc";
            }
            if (a.startsWith("--") && a.length() > 2) {
                int eq = a.indexOf('=');
                String name = eq < 0 ? a.substring(2) : a.substring(2, eq);
                String value = eq < 0 ? null : a.substring(eq + 1);
                if (VALUE_OPTIONS.contains(name)) {
                    if (value == null) {
                        if (k + 1 >= args.size()) {
                            throw new UsageError("--" + name + " needs a value");
                        }
                        value = args.get(++k);
                    }
                    option(r, name, value);
                } else if (FLAG_OPTIONS.contains(name) && value == null) {
                    continue;
                } else {
                    err.println("WARNING " + TAG + "ignoring unknown option " + a);
                }
            } else if (a.startsWith("-") && a.length() > 1) {
                err.println("WARNING " + TAG + "ignoring unknown option " + a);
            } else if (r.command == null) {
                if (!a.equals("compile")) {
                    throw new UsageError("unknown command '" + a + "'; the stand-in only compiles");
                }
                r.command = a;
            } else {
                r.files.add(a);
            }
        }
        if (r.command == null) {
            throw new UsageError("no command");
        }
        if (r.files.size() != 1) {
            throw new UsageError(r.files.isEmpty() ? "no input file" : "one input file expected, got " + r.files);
        }
        if (r.framework == null) {
            throw new UsageError("--framework is required (XLA)");
        }
        if (r.output == null) {
            throw new UsageError("--output is required");
        }
        if (r.target == null) {
            throw new UsageError("--target is required");
        }
        if (r.lnc != 1 && !(r.target.equals("trn2") || r.target.equals("trn3"))) {
            throw new UsageError("--lnc=" + r.lnc + ": on " + r.target + ", only lnc=1 is supported");
        }
        if (!r.autoCast.equals("none")) {
            err.println("WARNING " + TAG + "--auto-cast=" + r.autoCast + " is not modelled: the program computes in"
                    + " the module's own types, as with --auto-cast=none");
        }
        return r;
    }

    private static void option(Request r, String name, String value) throws UsageError {
        switch (name) {
            case "framework":
                if (!value.equalsIgnoreCase("XLA")) {
                    throw new UsageError("--framework=" + value + ": the stand-in reads XLA HLO modules only");
                }
                r.framework = value;
                break;
            case "target":
                if (!TARGETS.contains(value.toLowerCase(Locale.ROOT))) {
                    throw new UsageError("--target=" + value + " is not one of "
                            + String.join(", ", TARGETS.stream().sorted().toList()));
                }
                r.target = value.toLowerCase(Locale.ROOT);
                break;
            case "output":
                if (value.isEmpty()) {
                    throw new UsageError("--output is empty");
                }
                r.output = value;
                break;
            case "auto-cast":
                if (!Set.of("none", "matmult", "all").contains(value)) {
                    throw new UsageError("--auto-cast=" + value + " is not none, matmult or all");
                }
                r.autoCast = value;
                break;
            case "lnc":
            case "logical-nc-config":
                try {
                    r.lnc = Integer.parseInt(value);
                } catch (NumberFormatException e) {
                    r.lnc = -1;
                }
                if (r.lnc < 1 || r.lnc > 2) {
                    throw new UsageError("--" + name + "=" + value + " is not 1 or 2");
                }
                break;
            default:
                // Documented options that do not change what the stand-in writes.
                break;
        }
    }

    private static String oneLine(String s) {
        return s == null ? "" : s.replaceAll("[\\r\\n]+", " ");
    }
}
