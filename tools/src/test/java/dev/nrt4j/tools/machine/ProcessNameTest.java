package dev.nrt4j.tools.machine;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ProcessNameTest {
    @Test
    void aJavaProcessIsNamedByItsMainClassOrJarNotItsJvmOptions() {
        assertThat(ProcessName.command("/usr/lib/jvm/jdk/bin/java --enable-native-access=ALL-UNNAMED -Xmx1g"
                        + " -cp a.jar:b.jar --add-modules jdk.incubator.vector dev.nrt4j.samples.MlpInference 8 20"))
                .isEqualTo("MlpInference 8 20");
        assertThat(
                        ProcessName.command(
                                "java --enable-native-access=ALL-UNNAMED -XX:AOTCache=x.aot -jar /repo/tools/target/nrt4j.jar serve"))
                .isEqualTo("nrt4j.jar serve");
        assertThat(ProcessName.command("java -m app.module/com.example.Main --port 1"))
                .isEqualTo("Main --port 1");
    }

    @Test
    void otherCommandsAndUnreadableOnesStayAsTheyAre() {
        assertThat(ProcessName.command("python3 train.py --epochs 3")).isEqualTo("python3 train.py --epochs 3");
        assertThat(ProcessName.command("")).isEmpty();
        assertThat(ProcessName.command("java -Xmx1g")).isEqualTo("java -Xmx1g");
    }

    @Test
    void aProcessTagWinsUnlessItIsJustThePid() {
        assertThat(ProcessName.of("java -jar nrt4j.jar serve", "ranker", 42)).isEqualTo("ranker");
        assertThat(ProcessName.of("java -jar nrt4j.jar serve", "42", 42)).isEqualTo("nrt4j.jar serve");
        assertThat(ProcessName.of("java -jar nrt4j.jar serve", null, 42)).isEqualTo("nrt4j.jar serve");
    }
}
