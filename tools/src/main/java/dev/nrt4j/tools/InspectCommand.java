package dev.nrt4j.tools;

import com.fasterxml.jackson.annotation.JsonIgnore;
import dev.nrt4j.BackendDescription;
import dev.nrt4j.ModelSignature;
import dev.nrt4j.ModelSource;
import dev.nrt4j.ModelSupport;
import dev.nrt4j.NeuronRuntime;
import dev.nrt4j.RuntimeOptions;
import dev.nrt4j.TensorInfo;
import dev.nrt4j.artifacts.ModelArtifacts;
import dev.nrt4j.artifacts.ModelFile;
import dev.nrt4j.hlo.HloComputation;
import dev.nrt4j.hlo.HloInstruction;
import dev.nrt4j.hlo.HloModule;
import dev.nrt4j.hlo.HloSignature;
import dev.nrt4j.neff.NeffFile;
import dev.nrt4j.neff.NeffHeader;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code nrt4j inspect MODEL}: what a model holds — its signature, and the NEFF header or an HLO summary
 * (computations, instructions by opcode) — and whether each backend here could run it, and if not what
 * stops it ({@link NeuronRuntime#check}), without opening a runtime. Exits 1 when the model cannot be read
 * (damaged or ill-typed) or when no available backend can run it.
 */
@Command(
        name = "inspect",
        mixinStandardHelpOptions = true,
        description =
                "Show a model's signature, its NEFF header or HLO summary, and which backends could run it, without running it.")
final class InspectCommand implements Callable<Integer> {
    @Mixin
    ModelArgument modelArgument;

    @Option(names = "--json", description = "Print JSON.")
    boolean json;

    @Mixin
    RuntimeSelection selection;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        ModelSource source = modelArgument.source();
        ModelArtifacts artifacts = ModelArtifacts.of(source);
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("model", modelArgument.path().toString());
        report.put("kind", source.kind().toString());
        if (artifacts.neff().isPresent()) {
            NeffFile f = artifacts.neff().get().readNeff();
            report.put("neff", neffJson(f));
            report.put("signature", signatureJson(f.signature()));
        }
        if (artifacts.hlo().isPresent()) {
            ModelFile hlo = artifacts.hlo().get();
            HloModule module = hlo.readHloModule();
            report.put("hlo", hloJson(module));
            report.put("signature", signatureJson(HloSignature.of(module.entry(), hlo.name())));
        }
        Map<String, Object> backends = new LinkedHashMap<>();
        boolean anyRuns = false;
        for (ModelSupport support : supportHere(source)) {
            anyRuns |= support.isSupported();
            Map<String, Object> b = new LinkedHashMap<>();
            b.put("runs", support.isSupported());
            b.put("obstacles", support.obstacles());
            backends.put(support.backend(), b);
        }
        report.put("backends", backends);
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            out.println(JsonMapper.builder()
                    .build()
                    .writerWithDefaultPrettyPrinter()
                    .writeValueAsString(report));
        } else {
            printText(report, out, "");
        }
        out.flush();
        if (!anyRuns) {
            PrintWriter err = spec.commandLine().getErr();
            err.println("nrt4j inspect: no backend here can run " + modelArgument.path()
                    + "; see \"backends\" above for what stops each");
            err.flush();
            return Nrt4jCommand.EXIT_FAILURE;
        }
        return 0;
    }

    /** The answer of each backend that could open here (only the named one with --backend). */
    private List<ModelSupport> supportHere(ModelSource source) {
        RuntimeOptions options = selection.toOptions();
        if (options.backend().isPresent()) {
            // A named backend that is unknown or cannot open here fails as opening it would, saying why.
            return List.of(NeuronRuntime.check(source, options));
        }
        List<ModelSupport> out = new ArrayList<>();
        for (BackendDescription d : NeuronRuntime.describeBackends(options)) {
            if (d.isAvailable()) {
                out.add(NeuronRuntime.check(
                        source, options.toBuilder().backend(d.name()).build()));
            }
        }
        return out;
    }

    private static Map<String, Object> neffJson(NeffFile f) {
        NeffHeader h = f.header();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", h.name());
        m.put("version", h.versionMajor() + "." + h.versionMinor());
        m.put("build_version", h.buildVersion());
        m.put("uuid", h.uuid());
        m.put("neuron_cores", h.numTpb());
        m.put("lnc", h.lncSize());
        m.put("payload_bytes", h.dataSize());
        m.put("compressed", f.compressed());
        m.put("members", f.entries().size());
        return m;
    }

    private static Map<String, Object> hloJson(HloModule module) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("module", module.name());
        m.put("replicas", module.replicaCount());
        m.put("partitions", module.partitionCount());
        m.put("computations", module.computations().size());
        m.put("instructions", module.instructionCount());
        Map<String, Integer> byOpcode = new TreeMap<>();
        for (HloComputation c : module.computations()) {
            for (HloInstruction i : c.instructions()) {
                byOpcode.merge(i.opcode().text(), 1, Integer::sum);
            }
        }
        m.put("opcodes", byOpcode);
        return m;
    }

    private static Map<String, Object> signatureJson(ModelSignature s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("inputs", infos(s.inputs()));
        m.put("outputs", infos(s.outputs()));
        return m;
    }

    /**
     * The entries as {@link TensorEntry} records: JSON gets {@code {name, dtype, shape, bytes}}, which a
     * script reads without parsing, and the text output prints each as {@code name: f32[2, 3] (24 bytes)}.
     */
    private static List<TensorEntry> infos(List<TensorInfo> infos) {
        List<TensorEntry> out = new ArrayList<>();
        infos.forEach(i ->
                out.add(new TensorEntry(i.name(), i.dtype().hloName(), i.shape().dims(), i.byteSize(), i.toString())));
        return out;
    }

    /** One signature entry of the report; JSON writes the components but {@code text}. */
    private record TensorEntry(
            String name,
            String dtype,
            long[] shape,
            long bytes,
            @JsonIgnore String text) {
        @Override
        public String toString() {
            return text;
        }
    }

    @SuppressWarnings("unchecked")
    private static void printText(Map<String, Object> map, PrintWriter out, String indent) {
        for (Map.Entry<String, Object> e : map.entrySet()) {
            Object v = e.getValue();
            // Keys and values hold the model's own names (module, tensors, opcodes): escaped.
            String key = TerminalText.escape(e.getKey());
            if (v instanceof Map) {
                out.println(indent + key + ":");
                printText((Map<String, Object>) v, out, indent + "  ");
            } else if (v instanceof List && !((List<?>) v).isEmpty()) {
                out.println(indent + key + ":");
                ((List<?>) v).forEach(x -> out.println(indent + "  " + TerminalText.escape(String.valueOf(x))));
            } else {
                out.println(indent + key + ": " + (v instanceof List ? "-" : TerminalText.escape(String.valueOf(v))));
            }
        }
    }
}
