package dev.nrt4j.nativert;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Whether glibc's dynamic linker could find a library by its SONAME, answered by looking where it looks
 * ({@code LD_LIBRARY_PATH}, the {@code /etc/ld.so.cache} it keeps of the {@code ld.so.conf} directories,
 * the system library directories) instead of loading it. Binding a library costs a JNA load on Java 17
 * and a generated downcall stub on Java 22+; without libnrt (every machine but a Neuron host) that was
 * the biggest cost of {@code nrt4j ls}'s start-up, spent to learn what a few file look-ups tell. Answers
 * "maybe" whenever it cannot be sure (no ld.so cache: not glibc, or not Linux), so a library the linker
 * would find is never declared missing. Stateless.
 */
final class LinkerSearch {
    private static final Path CACHE = Path.of("/etc/ld.so.cache");
    private static final List<String> SYSTEM_DIRECTORIES = List.of("/lib64", "/usr/lib64", "/lib", "/usr/lib");

    private LinkerSearch() {}

    /**
     * @param soname the file name the linker searches, e.g. {@code libnrt.so.1}
     * @param environment the process environment (for {@code LD_LIBRARY_PATH})
     * @return false only when the linker certainly cannot find it
     */
    static boolean mayFind(String soname, Map<String, String> environment) {
        return mayFind(soname, environment, CACHE, SYSTEM_DIRECTORIES);
    }

    static boolean mayFind(String soname, Map<String, String> environment, Path cache, List<String> systemDirectories) {
        for (String dir : environment.getOrDefault("LD_LIBRARY_PATH", "").split(":", -1)) {
            // An empty entry is the working directory, as for the linker.
            if (Files.exists(Path.of(dir.isEmpty() ? "." : dir).resolve(soname))) {
                return true;
            }
        }
        byte[] entries;
        try {
            entries = Files.readAllBytes(cache);
        } catch (IOException | RuntimeException e) {
            return true;
        }
        if (contains(entries, (soname + "\0").getBytes(StandardCharsets.US_ASCII))) {
            return true;
        }
        for (String dir : systemDirectories) {
            if (Files.exists(Path.of(dir, soname))) {
                return true;
            }
        }
        return false;
    }

    private static boolean contains(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }
}
