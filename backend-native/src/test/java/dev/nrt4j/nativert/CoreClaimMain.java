package dev.nrt4j.nativert;

import dev.nrt4j.NeuronException;
import dev.nrt4j.NeuronRuntime;
import dev.nrt4j.RuntimeOptions;

/**
 * Run in a JVM of its own by {@link CoreOwnershipIT}: opens the native backend on the library named by
 * {@code nrt4j.libnrt}, with {@code visible=SET} and/or {@code num=N} from its arguments, and prints
 * {@code open cores=N} or {@code error=STATUS message}. With the argument {@code hold} it keeps the
 * runtime (and its cores) open until its standard input closes or it is killed.
 */
public final class CoreClaimMain {
    private CoreClaimMain() {}

    public static void main(String[] args) throws Exception {
        RuntimeOptions.Builder options = RuntimeOptions.builder().backend(NativeBackendProvider.NAME);
        boolean hold = false;
        for (String a : args) {
            if (a.startsWith("visible=")) {
                options.visibleCores(a.substring("visible=".length()));
            } else if (a.startsWith("num=")) {
                options.numCores(Integer.parseInt(a.substring("num=".length())));
            } else if (a.equals("hold")) {
                hold = true;
            } else {
                throw new IllegalArgumentException("unknown argument " + a);
            }
        }
        try (NeuronRuntime rt = NeuronRuntime.open(options.build())) {
            System.out.println("open cores=" + rt.cores().size());
            System.out.flush();
            if (hold) {
                while (System.in.read() >= 0) {
                    // Holds the cores until the parent closes our input or kills us.
                }
            }
        } catch (NeuronException e) {
            System.out.println("error=" + e.status() + " " + e.getMessage());
        }
    }
}
