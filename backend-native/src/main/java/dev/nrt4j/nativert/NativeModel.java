package dev.nrt4j.nativert;

import dev.nrt4j.DType;
import dev.nrt4j.LoadOptions;
import dev.nrt4j.ModelSignature;
import dev.nrt4j.NeuronException;
import dev.nrt4j.Shape;
import dev.nrt4j.Status;
import dev.nrt4j.TensorInfo;
import dev.nrt4j.nativert.binding.LibNrt;
import dev.nrt4j.nativert.binding.RawTensorInfo;
import dev.nrt4j.neff.NeffFile;
import dev.nrt4j.spi.ModelHandle;
import dev.nrt4j.spi.TensorHandle;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * A model loaded by libnrt ({@code nrt_model_t*}). Its signature comes from
 * {@code nrt_get_model_tensor_info}: dtypes decoded in the numbering of the runtime's version, byte
 * sizes exactly as reported. A dtype neither numbering knows is kept raw ({@link #rawTensorInfo()})
 * and shown as bytes ({@link DType#UINT8}) with the reported shape and size.
 *
 * <p>{@link #execute} may run on many threads at once (libnrt pipelines them); each call builds its
 * own input and output tensor sets and destroys them before it returns. {@link #submit} schedules
 * through libnrt's explicit async API where the runtime has it ({@link NrtaExecutions}), whose sets live
 * until the request completes; elsewhere it runs {@link #execute}. Unloaded exactly once. Thread-safe.
 */
final class NativeModel implements ModelHandle {
    private final NativeRuntime runtime;
    private final LibNrt lib;
    private final NativeHandle handle;
    private final ModelSignature signature;
    private final List<RawTensorInfo> raw;
    private final int core;
    private final int coreCount;

    private NativeModel(NativeRuntime runtime, NativeHandle handle, List<RawTensorInfo> raw, int core, int coreCount) {
        this.runtime = runtime;
        this.lib = runtime.lib();
        this.handle = handle;
        this.raw = List.copyOf(raw);
        this.signature = signatureOf(raw, runtime.dtypes());
        this.core = core;
        this.coreCount = coreCount;
    }

    static NativeModel load(NativeRuntime runtime, byte[] neff, String source, LoadOptions options) {
        LibNrt lib = runtime.lib();
        long address;
        try {
            address = options.worldSize() > 1
                    ? lib.loadCollectives(neff, options.core(), -1, options.rank(), options.worldSize())
                    : lib.load(neff, options.core(), -1);
        } catch (NeuronException e) {
            throw explainLoadFailure(e, neff, source);
        }
        NativeHandle handle = new NativeHandle(address, "model '" + source + "'");
        try {
            List<RawTensorInfo> raw = lib.modelTensorInfo(address);
            int core = lib.modelVnc(address).orElse(Math.max(options.core(), 0));
            return new NativeModel(runtime, handle, raw, core, lib.modelCoreCount(address));
        } catch (RuntimeException e) {
            lib.unload(handle.release("nrt_unload"));
            throw e;
        }
    }

    /** libnrt says little about a file it rejects; model-formats' reader says what is wrong with it. */
    private static NeuronException explainLoadFailure(NeuronException e, byte[] neff, String source) {
        if (e.status() != Status.INVALID && e.status() != Status.UNSUPPORTED_NEFF_VERSION) {
            return e;
        }
        try {
            NeffFile.read(neff, source);
            return e;
        } catch (NeuronException why) {
            return NeuronException.fromCode(
                    e.rawCode(), "nrt_load " + source, e.getMessage() + "; the file: " + why.getMessage());
        } catch (RuntimeException other) {
            return e;
        }
    }

    static ModelSignature signatureOf(List<RawTensorInfo> raw, DTypeCodes codes) {
        List<TensorInfo> inputs = new ArrayList<>();
        List<TensorInfo> outputs = new ArrayList<>();
        for (RawTensorInfo r : raw) {
            Shape shape = Shape.of(r.shape());
            Optional<DType> known = codes.decode(r.dtype());
            // Trust the dtype only when it explains the byte size; the size always comes from the runtime.
            DType dtype = known.filter(t -> shape.elementCount() * t.byteSize() == r.size())
                    .orElse(DType.UINT8);
            TensorInfo t = new TensorInfo(r.name(), dtype, shape, r.size());
            (r.usage() == LibNrt.USAGE_INPUT ? inputs : outputs).add(t);
        }
        return new ModelSignature(inputs, outputs);
    }

    /** The tensor info exactly as libnrt reported it, raw dtype codes included. */
    List<RawTensorInfo> rawTensorInfo() {
        return raw;
    }

    /** How many cores the model occupies ({@code nrt_get_model_vnc_count}). */
    int coreCount() {
        return coreCount;
    }

    @Override
    public ModelSignature signature() {
        return signature;
    }

    @Override
    public int core() {
        return core;
    }

    @Override
    public void execute(Map<String, TensorHandle> inputs, Map<String, TensorHandle> outputs) {
        run(inputs, outputs, 1);
    }

    /**
     * {@code nrt_execute_repeat}: runs {@code repeatCount} times, each iteration's outputs feeding the
     * next one's inputs (for NEFFs compiled for it).
     */
    void executeRepeat(Map<String, TensorHandle> inputs, Map<String, TensorHandle> outputs, int repeatCount) {
        run(inputs, outputs, repeatCount);
    }

    /**
     * Schedules one execution with {@code nrta_execute_schedule} when the runtime has the v3 async API;
     * otherwise runs it here, synchronously, as the API layer's per-core executor expects of any backend.
     * The caller keeps the tensors and this model open until the stage completes.
     */
    @Override
    public CompletionStage<Void> submit(Map<String, TensorHandle> inputs, Map<String, TensorHandle> outputs) {
        Optional<NrtaExecutions> nrta = runtime.nrta();
        if (nrta.isEmpty()) {
            return ModelHandle.super.submit(inputs, outputs);
        }
        String op = "nrta_execute_schedule";
        runtime.checkOpen(op);
        long model = handle.get(op);
        long[] sets = filledSets(inputs, outputs, op);
        try {
            // The sets are the request's now: destroyed once libnrt has completed it.
            return nrta.get()
                    .submit(
                            model,
                            sets[0],
                            sets[1],
                            () -> destroy(sets),
                            e -> explainExecuteFailure(e, inputs, outputs));
        } catch (NeuronException e) {
            throw explainExecuteFailure(e, inputs, outputs);
        }
    }

    /** The input and output sets of one execution, filled; none is left allocated when this throws. */
    private long[] filledSets(Map<String, TensorHandle> inputs, Map<String, TensorHandle> outputs, String op) {
        long[] sets = {lib.allocateTensorSet(), 0};
        try {
            sets[1] = lib.allocateTensorSet();
            fill(sets[0], inputs, op);
            fill(sets[1], outputs, op);
            return sets;
        } catch (RuntimeException | Error e) {
            destroy(sets);
            throw e;
        }
    }

    private void destroy(long[] sets) {
        if (sets[1] != 0) {
            lib.destroyTensorSet(sets[1]);
        }
        lib.destroyTensorSet(sets[0]);
    }

    private void run(Map<String, TensorHandle> inputs, Map<String, TensorHandle> outputs, int repeat) {
        String op = repeat == 1 ? "nrt_execute" : "nrt_execute_repeat";
        runtime.checkOpen(op);
        long model = handle.get(op);
        long[] sets = filledSets(inputs, outputs, op);
        try {
            if (repeat == 1) {
                lib.execute(model, sets[0], sets[1]);
            } else {
                lib.executeRepeat(model, sets[0], sets[1], repeat);
            }
        } catch (NeuronException e) {
            throw explainExecuteFailure(e, inputs, outputs);
        } finally {
            destroy(sets);
        }
    }

    /**
     * libnrt answers NRT_INVALID when a tensor's name or size does not match the model (nrt_status.h)
     * and says no more; the signature says which one. Other failures pass through unchanged.
     */
    private NeuronException explainExecuteFailure(
            NeuronException e, Map<String, TensorHandle> inputs, Map<String, TensorHandle> outputs) {
        if (e.status() != Status.INVALID) {
            return e;
        }
        List<String> problems = new ArrayList<>();
        mismatches("input", signature.inputs(), inputs, problems);
        mismatches("output", signature.outputs(), outputs, problems);
        if (problems.isEmpty()) {
            return e;
        }
        String prefix = e.operation() + " failed [" + e.status().name() + "]: ";
        String detail = e.getMessage().startsWith(prefix) ? e.getMessage().substring(prefix.length()) : e.getMessage();
        return new NeuronException(Status.INVALID, e.operation(), detail + "; here: " + String.join(", ", problems), e);
    }

    private static void mismatches(
            String role, List<TensorInfo> wanted, Map<String, TensorHandle> given, List<String> problems) {
        for (TensorInfo info : wanted) {
            TensorHandle t = given.get(info.name());
            if (t == null) {
                problems.add(role + " " + info.name() + " (" + info.byteSize() + " bytes) is missing");
            } else if (t.size() != info.byteSize()) {
                problems.add(role + " " + info.name() + " is " + t.size() + " bytes, the model's " + info.byteSize());
            }
        }
        for (String name : given.keySet()) {
            if (wanted.stream().noneMatch(i -> i.name().equals(name))) {
                problems.add("'" + name + "' is not an " + role + " of the model");
            }
        }
    }

    private void fill(long set, Map<String, TensorHandle> tensors, String op) {
        for (Map.Entry<String, TensorHandle> e : tensors.entrySet()) {
            if (!(e.getValue() instanceof NativeTensor) || ((NativeTensor) e.getValue()).runtime() != runtime) {
                throw new NeuronException(
                        Status.INVALID, op, "tensor '" + e.getKey() + "' does not belong to this native runtime");
            }
            lib.addTensorToTensorSet(set, e.getKey(), ((NativeTensor) e.getValue()).address(op));
        }
    }

    @Override
    public void unload() {
        runtime.checkOpen("nrt_unload");
        lib.unload(handle.release("nrt_unload"));
    }

    @Override
    public String toString() {
        return handle + " on core " + core;
    }
}
