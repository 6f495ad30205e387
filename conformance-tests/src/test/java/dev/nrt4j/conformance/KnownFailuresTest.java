package dev.nrt4j.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nrt4j.NeuronException;
import dev.nrt4j.Status;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KnownFailuresTest {
    @Test
    void namesWithReasonsCommentsAndBlankLines(@TempDir Path dir) throws Exception {
        Path f = Files.writeString(dir.resolve("k.txt"), "# header\n\ncase_a   transcendental at 2 ULP\ncase_b\tneeds fft\n");
        KnownFailures k = KnownFailures.read(f);
        assertThat(k.reason("case_a")).hasValue("transcendental at 2 ULP");
        assertThat(k.reason("case_b")).hasValue("needs fft");
        assertThat(k.reason("case_c")).isEmpty();
        assertThat(k.all()).hasSize(2);
    }

    @Test
    void aNameWithoutAReasonIsRefused(@TempDir Path dir) throws Exception {
        Path f = Files.writeString(dir.resolve("k.txt"), "case_a reason\ncase_b\n");
        assertThatThrownBy(() -> KnownFailures.read(f))
                .isInstanceOfSatisfying(NeuronException.class, e -> assertThat(e.status()).isEqualTo(Status.INVALID))
                .hasMessageContaining("line 2").hasMessageContaining("case_b");
    }
}
