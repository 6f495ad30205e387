package dev.nrt4j.samples.examples;

import java.nio.file.Path;

/** Where the committed examples are: the repository's {@code examples/}, beside this module. */
final class ExampleFiles {
    private ExampleFiles() {}

    /** The committed {@code examples/} folder. */
    static Path committed() {
        return Path.of(System.getProperty("basedir", "."))
                .resolve("../examples")
                .toAbsolutePath()
                .normalize();
    }
}
