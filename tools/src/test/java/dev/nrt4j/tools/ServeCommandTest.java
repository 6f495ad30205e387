package dev.nrt4j.tools;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nrt4j.server.ServerOptions;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code nrt4j serve}'s limit options reach the server's options, and bad ones are refused before anything loads. */
class ServeCommandTest {
    private static ServerOptions parse(String... args) {
        ServeCommand command = new ServeCommand();
        new CommandLine(command).parseArgs(args);
        return command.options();
    }

    @Test
    void eachLimitOptionSetsItsServerOption() {
        ServerOptions o = parse(
                "--host",
                "127.0.0.1",
                "--port",
                "0",
                "--idle-timeout",
                "5",
                "--max-connections",
                "7",
                "--max-request-bytes",
                "1000",
                "--max-concurrent-infers",
                "3",
                "--drain-timeout",
                "2.5",
                "mlp=model.hlo.txt");

        assertThat(o.host()).isEqualTo("127.0.0.1");
        assertThat(o.port()).isZero();
        assertThat(o.idleTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(o.maxConnections()).isEqualTo(7);
        assertThat(o.maxRequestBytes()).isEqualTo(1000);
        assertThat(o.maxConcurrentInfers()).isEqualTo(3);
        assertThat(o.drainTimeout()).isEqualTo(Duration.ofMillis(2500));
    }

    @Test
    void withoutOptionsTheServersDefaultsApply() {
        ServerOptions o = parse("mlp=model.hlo.txt");
        ServerOptions d = ServerOptions.defaults();

        assertThat(o.idleTimeout()).isEqualTo(d.idleTimeout());
        assertThat(o.maxConnections()).isEqualTo(d.maxConnections());
        assertThat(o.maxRequestBytes()).isEqualTo(d.maxRequestBytes());
        assertThat(o.maxConcurrentInfers()).isEqualTo(d.maxConcurrentInfers());
        assertThat(o.drainTimeout()).isEqualTo(d.drainTimeout());
        assertThat(o.port()).isEqualTo(8000);
    }

    @Test
    void aLimitOutOfRangeIsAUsageErrorOnOneLineBeforeAnyModelLoads() {
        // The model file does not exist: the option is refused first, so nothing tries to load it.
        for (String[] bad : new String[][] {
            {"--idle-timeout", "60"}, {"--idle-timeout", "NaN"}, {"--max-connections", "0"},
            {"--max-request-bytes", "-1"}, {"--max-concurrent-infers", "0"}, {"--drain-timeout", "-1"},
            {"--port", "70000"}
        }) {
            CommandRun r = CommandRun.of("serve", bad[0], bad[1], "mlp=no-such-model.hlo.txt");

            assertThat(r.status()).as(String.join(" ", bad)).isEqualTo(2);
            assertThat(r.err()).as(String.join(" ", bad)).startsWith("serve: ").doesNotContain("no-such-model");
            assertThat(r.err().lines().findFirst())
                    .hasValueSatisfying(line -> assertThat(line)
                            .as(String.join(" ", bad))
                            .containsAnyOf(bad[0].substring(2).replace('-', ' '), "limits", "port", "timeout"));
        }
    }
}
