package dev.nrt4j.tools;

import dev.nrt4j.ModelSignature;
import dev.nrt4j.ModelSource;
import dev.nrt4j.TensorInfo;
import dev.nrt4j.hlo.HloComputation;
import dev.nrt4j.hlo.HloInstruction;
import dev.nrt4j.hlo.HloModule;
import dev.nrt4j.hlo.HloSignature;
import dev.nrt4j.hlo.proto.HloProtoReader;
import dev.nrt4j.hlo.text.HloTextParser;
import dev.nrt4j.neff.NeffFile;
import dev.nrt4j.neff.NeffHeader;
import dev.nrt4j.reference.interpreter.OpRegistry;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code nrt4j inspect MODEL}: what a model file holds — its signature, and the NEFF header or an HLO
 * summary (computations, instructions by opcode, what the reference device cannot run) — without
 * opening a runtime.
 */
@Command(name = "inspect", mixinStandardHelpOptions = true,
        description = "Show a model's signature and its NEFF header or HLO summary, without running it.")
final class InspectCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "MODEL", description = "A .neff, an HLO module (.pb, .hlo, .hlo.txt) or a MODULE_* compile-cache directory.")
    Path modelPath;

    @Option(names = "--json", description = "Print JSON.")
    boolean json;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        ModelSource source = ModelSource.of(modelPath);
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("model", modelPath.toString());
        report.put("kind", source.kind().toString());
        Path hlo = null;
        Path neff = null;
        switch (source.kind()) {
            case NEFF: neff = modelPath; break;
            case COMPILE_CACHE_ENTRY:
                hlo = Files.isRegularFile(modelPath.resolve("model.hlo_module.pb")) ? modelPath.resolve("model.hlo_module.pb") : null;
                neff = Files.isRegularFile(modelPath.resolve("model.neff")) ? modelPath.resolve("model.neff") : null;
                break;
            default: hlo = modelPath;
        }
        if (neff != null) {
            NeffFile f = NeffFile.read(neff);
            report.put("neff", neffJson(f));
            report.put("signature", signatureJson(f.signature()));
        }
        if (hlo != null) {
            HloModule module = source.kind() == ModelSource.Kind.HLO_TEXT ? HloTextParser.parse(hlo) : HloProtoReader.read(hlo);
            report.put("hlo", hloJson(module));
            report.put("signature", signatureJson(HloSignature.of(module.entry(), hlo.toString())));
        }
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            out.println(JsonMapper.builder().build().writerWithDefaultPrettyPrinter().writeValueAsString(report));
        } else {
            printText(report, out, "");
        }
        out.flush();
        return 0;
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
        TreeSet<String> unsupported = new TreeSet<>();
        OpRegistry ops = OpRegistry.standard();
        for (HloComputation c : module.computations()) {
            for (HloInstruction i : c.instructions()) {
                byOpcode.merge(i.opcode(), 1, Integer::sum);
                if (!ops.supports(i.opcode())) {
                    unsupported.add(i.opcode());
                }
            }
        }
        m.put("opcodes", byOpcode);
        m.put("not_on_reference_device", new ArrayList<>(unsupported));
        return m;
    }

    private static Map<String, Object> signatureJson(ModelSignature s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("inputs", infos(s.inputs()));
        m.put("outputs", infos(s.outputs()));
        return m;
    }

    private static List<String> infos(List<TensorInfo> infos) {
        List<String> out = new ArrayList<>();
        infos.forEach(i -> out.add(i.toString()));
        return out;
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
