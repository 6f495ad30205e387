package dev.nrt4j.nativert;

import dev.nrt4j.TensorInfo;
import dev.nrt4j.neff.NeffFile;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;

/**
 * A child process of {@link CompileCacheIT}: compiles one module through the compile cache and prints
 * what it got. Arguments: the compiler, the state directory, the module. Exits 1 with the failure.
 */
final class CompileCacheMain {
    private CompileCacheMain() {}

    public static void main(String[] args) {
        try {
            Properties p = new Properties();
            p.setProperty(NeffCompiler.PROPERTY, args[0]);
            NeffCompiler compiler = NeffCompiler.find(Map.of(), p).orElseThrow();
            byte[] module = java.nio.file.Files.readAllBytes(Path.of(args[2]));
            byte[] neff = new NeffCache(Path.of(args[1])).neff(compiler, module, args[2], "trn1.2xlarge", 1);
            System.out.println("neff ok, inputs "
                    + NeffFile.read(neff, "compiled").signature().inputs().stream()
                            .map(TensorInfo::name)
                            .toList());
        } catch (RuntimeException | java.io.IOException e) {
            e.printStackTrace(System.out);
            System.exit(1);
        }
    }
}
