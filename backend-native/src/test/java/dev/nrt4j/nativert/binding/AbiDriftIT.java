package dev.nrt4j.nativert.binding;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nrt4j.Status;
import dev.nrt4j.testsupport.Needs;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The ABI drift guard: with real libnrt headers ({@code NRT4J_NRT_INCLUDE}, e.g.
 * {@code /opt/aws/neuron/include}), a small C probe compiled against them prints the size and member
 * offsets of the structs the bindings read and the values of the status, placement, usage and framework
 * enums; each must equal what every binding of this JVM uses (FfmLayouts, JnaStructs, {@link LibNrt}'s
 * constants, {@link Status} through {@link NrtStatus}). The probe is itself proved on a header set
 * written from the double's declarations ({@code src/test/c/nrt_decls.h}), once as written and once
 * with drift put in.
 */
class AbiDriftIT {
    /** The structs checked, with the members the bindings read. */
    private static final Map<String, List<String>> STRUCTS = new LinkedHashMap<>();

    static {
        for (RecordedLayouts.Struct s : RecordedLayouts.ALL) {
            if (Set.of(
                            "nrt_tensor_info_t",
                            "nrt_tensor_info_array_t",
                            "nrt_version_t",
                            "nrt_instance_info_t",
                            "nrt_vnc_memory_stats_t",
                            "nrt_model_info_t")
                    .contains(s.name())) {
                STRUCTS.put(s.name(), List.copyOf(s.offsets().keySet()));
            }
        }
    }

    /** Enum constants the bindings use, with the values they use. */
    private static Map<String, Long> bindingEnums() {
        Map<String, Long> m = new LinkedHashMap<>();
        for (Status s : Status.values()) {
            if (s != Status.UNKNOWN) {
                m.put("NRT_" + s.name(), (long) s.code());
            }
        }
        m.put("NRT_TENSOR_PLACEMENT_DEVICE", (long) LibNrt.PLACEMENT_DEVICE);
        m.put("NRT_TENSOR_PLACEMENT_HOST", (long) LibNrt.PLACEMENT_HOST);
        m.put("NRT_TENSOR_USAGE_INPUT", (long) LibNrt.USAGE_INPUT);
        m.put("NRT_TENSOR_USAGE_OUTPUT", (long) LibNrt.USAGE_OUTPUT);
        m.put("NRT_FRAMEWORK_TYPE_NO_FW", (long) LibNrt.FRAMEWORK_NO_FW);
        return m;
    }

    private static final String[] HEADERS = {
        "nrt/nrt.h", "nrt/nrt_experimental.h", "nrt/nrt_version.h", "nrt/nrt_status.h"
    };

    @TempDir
    Path work;

    private static List<LibNrt> bindings() {
        String p = System.getProperty("nrt4j.test.libnrtDouble", "");
        Needs.that(
                !p.isEmpty() && Files.isRegularFile(Path.of(p)),
                "the libnrt test double, built by the test build with gcc and the zlib headers (Debian: apt-get install gcc zlib1g-dev)");
        List<LibNrt> out = new ArrayList<>();
        out.add(Bindings.bind("jna", p));
        if (FfmBinding.isSupported()) {
            out.add(Bindings.bind("ffm", p));
        }
        return out;
    }

    /**
     * Compiles and runs the probe against {@code include}; returns its lines ("size S N", "offset S M N",
     * "enum NAME V"). Status names come from the bindings and from the header's own nrt_status.h, so a
     * code the runtime added is seen too.
     */
    private List<String> probe(Path include, Set<String> enumNames) throws IOException, InterruptedException {
        StringBuilder c =
                new StringBuilder("#include <stdbool.h>\n#include <stddef.h>\n#include <stdint.h>\n#include <stdio.h>\n"
                        + "#include \"nrt/nrt_status.h\"\n#include \"nrt/nrt.h\"\n#include \"nrt/nrt_experimental.h\"\n"
                        + "#include \"nrt/nrt_version.h\"\n\nint main(void) {\n");
        for (Map.Entry<String, List<String>> s : STRUCTS.entrySet()) {
            c.append("    printf(\"size ")
                    .append(s.getKey())
                    .append(" %zu\\n\", sizeof(")
                    .append(s.getKey())
                    .append("));\n");
            for (String f : s.getValue()) {
                c.append("    printf(\"offset ")
                        .append(s.getKey())
                        .append(' ')
                        .append(f)
                        .append(" %zu\\n\", offsetof(")
                        .append(s.getKey())
                        .append(", ")
                        .append(f)
                        .append("));\n");
            }
        }
        for (String e : enumNames) {
            c.append("    printf(\"enum ")
                    .append(e)
                    .append(" %lld\\n\", (long long) ")
                    .append(e)
                    .append(");\n");
        }
        c.append("    return 0;\n}\n");
        Path src = Files.writeString(work.resolve("probe.c"), c, StandardCharsets.UTF_8);
        Path exe = work.resolve("probe");
        String compiled = run(
                List.of("gcc", "-std=gnu11", "-I" + include.toAbsolutePath(), "-o", exe.toString(), src.toString()));
        assertThat(Files.isExecutable(exe))
                .as("the layout probe compiles against %s:%n%s", include, compiled)
                .isTrue();
        return List.of(run(List.of(exe.toString())).split("\n"));
    }

    private static String run(List<String> command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(120, TimeUnit.SECONDS))
                .as(String.join(" ", command))
                .isTrue();
        return p.exitValue() == 0 ? out : "exit " + p.exitValue() + ": " + out;
    }

    /** The status names a header directory's nrt_status.h defines. */
    private static Set<String> statusNamesIn(Path include) throws IOException {
        Set<String> names = new LinkedHashSet<>();
        Matcher m = Pattern.compile("\\b(NRT_[A-Z0-9_]+)\\s*=\\s*-?\\d+")
                .matcher(Files.readString(include.resolve("nrt/nrt_status.h")));
        while (m.find()) {
            names.add(m.group(1));
        }
        return names;
    }

    /** Every difference between the probe's view of the headers and each binding's, one line each. */
    private List<String> drift(Path include) throws IOException, InterruptedException {
        Map<String, Long> expectedEnums = bindingEnums();
        Set<String> names = new LinkedHashSet<>(expectedEnums.keySet());
        names.addAll(statusNamesIn(include));
        List<String> lines = probe(include, names);
        List<String> drift = new ArrayList<>();
        for (LibNrt lib : bindings()) {
            for (String line : lines) {
                String[] w = line.trim().split(" ");
                if (w[0].equals("size")) {
                    long binding = lib.structSize(w[1]);
                    if (binding != Long.parseLong(w[2])) {
                        drift.add(lib.bindingName() + ": sizeof(" + w[1] + ") is " + w[2] + " in the headers, "
                                + binding + " in the binding");
                    }
                } else if (w[0].equals("offset")) {
                    long binding = lib.fieldOffset(w[1], w[2]);
                    if (binding != Long.parseLong(w[3])) {
                        drift.add(lib.bindingName() + ": offsetof(" + w[1] + ", " + w[2] + ") is " + w[3]
                                + " in the headers, " + binding + " in the binding");
                    }
                }
            }
        }
        for (String line : lines) {
            String[] w = line.trim().split(" ");
            if (w[0].equals("enum")) {
                Long binding = expectedEnums.get(w[1]);
                long header = Long.parseLong(w[2]);
                if (binding == null) {
                    // New codes are appended over time; the binding reports them as UNKNOWN with the raw code.
                    System.out.println("note: the headers define " + w[1] + " = " + header
                            + ", which nrt4j reports as UNKNOWN(" + header + ")");
                } else if (binding != header) {
                    drift.add(w[1] + " is " + header + " in the headers, " + binding + " in the binding");
                }
            }
        }
        return drift;
    }

    @Test
    void theBindingsMatchTheLibnrtHeadersOfThisMachine() throws Exception {
        String variable = System.getenv("NRT4J_NRT_INCLUDE");
        Needs.optional(
                variable != null && !variable.isBlank(),
                "NRT4J_NRT_INCLUDE is not set: no libnrt headers to hold the bindings to (set it to e.g. /opt/aws/neuron/include)");
        Path include = Path.of(variable);
        List<String> missing = new ArrayList<>();
        for (String h : HEADERS) {
            if (!Files.isRegularFile(include.resolve(h))) {
                missing.add(h);
            }
        }
        Needs.that(
                missing.isEmpty(),
                "the libnrt headers " + missing + " under NRT4J_NRT_INCLUDE=" + include
                        + " (package aws-neuronx-runtime-lib installs them in /opt/aws/neuron/include)");
        Needs.that(Needs.onPath("gcc"), "gcc, to compile the layout probe (apt-get install gcc)");
        assertThat(drift(include))
                .as("the bindings against the headers in %s", include)
                .isEmpty();
    }

    /** A header directory nrt/*.h made of the double's declarations, with {@code edit} applied to them. */
    private Path headersFromTheDouble(String name, java.util.function.UnaryOperator<String> edit) throws IOException {
        Path decls = Path.of("src/test/c/nrt_decls.h");
        Needs.that(Files.isRegularFile(decls), "the double's declarations at " + decls.toAbsolutePath());
        Path dir = Files.createDirectories(work.resolve(name).resolve("nrt"));
        Files.writeString(dir.resolve("nrt.h"), edit.apply(Files.readString(decls)));
        for (String h : new String[] {"nrt_status.h", "nrt_experimental.h", "nrt_version.h"}) {
            Files.writeString(dir.resolve(h), "#include \"nrt/nrt.h\"\n");
        }
        return dir.getParent();
    }

    @Test
    void theProbeFindsNoDriftInTheDoublesOwnDeclarations() throws Exception {
        assertThat(drift(headersFromTheDouble("same", s -> s))).isEmpty();
    }

    @Test
    void theProbeReportsDriftWhenThereIsSome() throws Exception {
        Path drifted = headersFromTheDouble(
                "drifted",
                s -> s.replace("char name[NRT_TENSOR_NAME_MAX];", "char name[NRT_TENSOR_NAME_MAX + 8];")
                        .replace("NRT_INVALID = 2", "NRT_INVALID = 12")
                        .replace("NRT_TENSOR_PLACEMENT_HOST = 1", "NRT_TENSOR_PLACEMENT_HOST = 3")
                        .replace(
                                "typedef struct nrt_model_info { uint32_t vnc; }",
                                "typedef struct nrt_model_info { uint64_t vnc; }"));
        List<String> drift = drift(drifted);
        assertThat(drift)
                .anyMatch(
                        d -> d.contains("offsetof(nrt_tensor_info_t, size) is 272 in the headers, 264 in the binding"))
                .anyMatch(d -> d.contains("sizeof(nrt_model_info_t) is 8 in the headers, 4 in the binding"))
                .contains("NRT_INVALID is 12 in the headers, 2 in the binding")
                .contains("NRT_TENSOR_PLACEMENT_HOST is 3 in the headers, 1 in the binding");
        assertThat(drift).noneMatch(d -> d.contains("offsetof(nrt_tensor_info_t, name)"));
    }
}
