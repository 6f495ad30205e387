package dev.nrt4j.nativert;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nrt4j.nativert.binding.FfmBinding;
import dev.nrt4j.testsupport.Needs;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * An older libnrt, without the functions newer runtimes added: the double built with
 * {@code -DNRT_DOUBLE_OLD_RUNTIME}, run in a child JVM per binding (a JVM binds one libnrt). The
 * backend must still open, fall back to the older functions, report what is missing, and keep
 * working.
 */
class OlderLibnrtIT {

    private static String run(String binding) throws IOException, InterruptedException {
        Path old = LibnrtDouble.path().resolveSibling("old").resolve("libnrt.so.1");
        Needs.that(
                Files.isRegularFile(old),
                "the older libnrt double (" + old + "), built beside the double by the test build");
        List<String> cmd = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED",
                "-cp",
                System.getProperty("java.class.path"),
                "-Dnrt4j.libnrt=" + old,
                "-Dnrt4j.native.binding=" + binding,
                OldRuntimeMain.class.getName()));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().put(LibnrtDouble.STATE_DIR, LibnrtDouble.stateDir().toString());
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        return out;
    }

    private static void check(String out) {
        assertThat(out)
                .contains("this libnrt lacks nrt_get_instance_info, nrt_get_model_info, nrt_get_model_vnc_count,"
                        + " nrt_get_status_as_str, nrt_get_total_vnc_count, nrt_get_visible_vnc_count, nrt_get_vnc_memory_stats,"
                        + " nrt_tensor_allocate_empty, nrt_tensor_attach_buffer, nrt_tensor_check_output_completion,"
                        + " nrta_event_register_seq_id_completion, nrta_execute_schedule, nrta_get_sequence,"
                        + " nrta_is_completed");
        // Without the nrta functions executeAsync runs nrt_execute on the API layer's per-core executor.
        assertThat(out)
                .contains("async on a per-core executor (this libnrt lacks the nrta functions)")
                .contains("asyncOutput=9.0");
        assertThat(out).contains("instance=unknown").contains("cores=4").contains("output=6.0");
        // Without nrt_get_status_as_str the message still has the code and the advice.
        assertThat(out).contains("loadError=INVALID").contains("libnrt returned 2");
    }

    @Test
    void jnaFallsBackAndReportsWhatIsMissing() throws Exception {
        check(run("jna"));
    }

    @Test
    void ffmFallsBackAndReportsWhatIsMissing() throws Exception {
        Needs.optional(FfmBinding.isSupported(), "FFM is not supported in this JVM");
        check(run("ffm"));
    }
}
