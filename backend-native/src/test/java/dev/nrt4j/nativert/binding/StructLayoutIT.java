package dev.nrt4j.nativert.binding;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nrt4j.testsupport.JdkLeg;
import dev.nrt4j.testsupport.Needs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Every struct size and member offset of nrt-api.md section 3.3, against every binding this JVM can
 * bind (from the packaged jar: FFM and JNA on Java 22+, JNA on 17), as the bindings lay them out
 * for their own struct access.
 */
class StructLayoutIT {

    private static List<LibNrt> bindings() {
        String p = System.getProperty("nrt4j.test.libnrtDouble", "");
        Needs.that(
                !p.isEmpty() && Files.isRegularFile(Path.of(p)),
                "the libnrt test double (target/libnrt-double/libnrt.so.1,"
                        + " built by the test build with gcc and the zlib headers; Debian: apt-get install gcc zlib1g-dev)");
        List<LibNrt> out = new ArrayList<>();
        out.add(Bindings.bind("jna", p));
        if (FfmBinding.isSupported()) {
            out.add(Bindings.bind("ffm", p));
        }
        return out;
    }

    @Test
    void everyRecordedSizeAndOffsetMatchesEveryBinding() {
        List<LibNrt> bindings = bindings();
        if (JdkLeg.java22ClassesRun()) {
            assertThat(bindings).extracting(LibNrt::bindingName).containsExactly("jna", "ffm");
        }
        for (LibNrt lib : bindings) {
            for (RecordedLayouts.Struct s : RecordedLayouts.ALL) {
                assertThat(lib.structSize(s.name()))
                        .as("%s: sizeof(%s)", lib.bindingName(), s.name())
                        .isEqualTo(s.size());
                for (Map.Entry<String, Long> f : s.offsets().entrySet()) {
                    assertThat(lib.fieldOffset(s.name(), f.getKey()))
                            .as("%s: offsetof(%s, %s)", lib.bindingName(), s.name(), f.getKey())
                            .isEqualTo(f.getValue());
                }
            }
        }
    }

    @Test
    void theDoubleExportsEveryOptionalFunctionAndBothBindingsSeeThat() {
        for (LibNrt lib : bindings()) {
            assertThat(lib.missingOptionalFunctions()).as(lib.bindingName()).isEmpty();
            assertThat(lib.statusText(14)).as(lib.bindingName()).hasValue("Runtime is closed");
            assertThat(lib.version().toString()).isEqualTo("2.34.10.0");
        }
    }
}
