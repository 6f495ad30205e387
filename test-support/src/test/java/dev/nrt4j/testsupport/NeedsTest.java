package dev.nrt4j.testsupport;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;
import org.opentest4j.TestAbortedException;

class NeedsTest {
    @AfterEach
    void clear() {
        System.clearProperty(Needs.STRICT_PROPERTY);
    }

    @Test
    void somethingPresentNeverStopsTheTest() {
        System.setProperty(Needs.STRICT_PROPERTY, "true");
        assertThatCode(() -> Needs.that(true, "anything")).doesNotThrowAnyException();
    }

    @Test
    void somethingMissingSkipsSayingWhat() {
        System.setProperty(Needs.STRICT_PROPERTY, "false");
        assertThatThrownBy(() -> Needs.that(false, "tmux (apt-get install tmux)"))
                .isInstanceOf(TestAbortedException.class)
                .hasMessageContaining("tmux (apt-get install tmux)");
    }

    @Test
    void underStrictModeSomethingMissingFails() {
        System.setProperty(Needs.STRICT_PROPERTY, "1");
        assertThatThrownBy(() -> Needs.that(false, "gcc"))
                .isInstanceOf(AssertionFailedError.class)
                .hasMessageContaining("gcc")
                .hasMessageContaining("NRT4J_STRICT");
    }

    @Test
    void optionalVariationsSkipEvenUnderStrictMode() {
        System.setProperty(Needs.STRICT_PROPERTY, "1");
        assertThatThrownBy(() -> Needs.optional(false, "JDK 20+")).isInstanceOf(TestAbortedException.class);
    }

    @Test
    void anAbsentCorpusIsNamedWithItsPath() {
        String before = System.getProperty("nrt4j.shared.dir");
        System.setProperty("nrt4j.shared.dir", "/nonexistent/shared");
        System.setProperty(Needs.STRICT_PROPERTY, "1");
        try {
            assertThatThrownBy(() -> Needs.sharedCorpus("jax"))
                    .isInstanceOf(AssertionFailedError.class)
                    .hasMessageContaining("/nonexistent/shared/corpus/jax");
        } finally {
            if (before == null) {
                System.clearProperty("nrt4j.shared.dir");
            } else {
                System.setProperty("nrt4j.shared.dir", before);
            }
        }
    }
}
