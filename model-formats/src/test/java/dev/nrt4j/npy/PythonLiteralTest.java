package dev.nrt4j.npy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PythonLiteralTest {

    @Test
    void parsesTheValuesAHeaderUses() {
        Object v = PythonLiteral.parse(
                " {'a': (), \"b\": (3,), 'c': (2, 3, ), 'd': True, 'e': None, 'f': [('x', '<f4')], 'g': -5}\n ");

        assertThat(v).isInstanceOf(Map.class);
        Map<?, ?> m = (Map<?, ?>) v;
        assertThat(new java.util.ArrayList<Object>(m.keySet())).containsExactly("a", "b", "c", "d", "e", "f", "g");
        assertThat(((PythonLiteral.Tuple) m.get("a")).items).isEmpty();
        assertThat(((PythonLiteral.Tuple) m.get("b")).items).containsExactly(3L);
        assertThat(((PythonLiteral.Tuple) m.get("c")).items).containsExactly(2L, 3L);
        assertThat(m.get("d")).isEqualTo(Boolean.TRUE);
        assertThat(m.get("e")).isSameAs(PythonLiteral.NONE);
        assertThat(m.get("f")).isInstanceOf(PythonLiteral.PyList.class);
        assertThat(m.get("g")).isEqualTo(-5L);
    }

    @Test
    void integersCoverTheWholeLongRangeAndNoMore() {
        assertThat(PythonLiteral.parse("9223372036854775807")).isEqualTo(Long.MAX_VALUE);
        assertThat(PythonLiteral.parse("-9223372036854775808")).isEqualTo(Long.MIN_VALUE);
        assertThat(PythonLiteral.parse("+12")).isEqualTo(12L);
        assertThatThrownBy(() -> PythonLiteral.parse("9223372036854775808"))
                .hasMessageContaining("does not fit in 64 bits");
        assertThatThrownBy(() -> PythonLiteral.parse("-9223372036854775809"))
                .hasMessageContaining("does not fit in 64 bits");
    }

    @Test
    void escapesInStrings() {
        assertThat(PythonLiteral.parse("'it\\'s \\\\ \"x\"'")).isEqualTo("it's \\ \"x\"");
        assertThatThrownBy(() -> PythonLiteral.parse("'\\n'")).hasMessageContaining("unsupported escape '\\n'");
    }

    @Test
    void reprRoundTripsWhatItParses() {
        String text = "{'descr': [('x', '<f4'), ('y', (2,))], 'fortran_order': False, 'shape': (), 'n': None}";

        assertThat(PythonLiteral.repr(PythonLiteral.parse(text))).isEqualTo(text);
        assertThat(PythonLiteral.repr(PythonLiteral.parse(PythonLiteral.repr(PythonLiteral.parse(text)))))
                .isEqualTo(text);
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            quoteCharacter = '"',
            value = {
                "                | ends where a value should start (at character 0)",
                "(1, 2           | tuple starting here is never closed with ')' (at character 0)",
                "[1 2]           | expected ',' or ']', found '2' (at character 3)",
                "{'a' 1}         | expected ':' after a dict key, found '1' (at character 5)",
                "{(1,): 2, [1]: 3} | a dict key cannot be a dict or list (at character 10)",
                "1.5             | only plain decimal integers are supported, found 1.5",
                "0x10            | only plain decimal integers",
                "1_000           | only plain decimal integers",
                "-               | a sign must be followed by digits",
                "true            | 'true' is not a literal",
                "1 2             | unexpected '2' after the literal (at character 2)",
                "(,)             | unexpected ',' where a value should start",
                "@               | unexpected '@' where a value should start"
            })
    void rejectsWhatIsNotAHeaderLiteral(String text, String message) {
        String t = text == null ? "" : text.strip();

        assertThatThrownBy(() -> PythonLiteral.parse(t))
                .isInstanceOf(PythonLiteral.SyntaxError.class)
                .hasMessageContaining(message.strip());
    }

    @Test
    void nestingIsBoundedSoHostileInputCannotOverflowTheStack() {
        String ok = "[".repeat(PythonLiteral.MAX_DEPTH + 1) + "]".repeat(PythonLiteral.MAX_DEPTH + 1);
        String deep = "[".repeat(100_000);

        assertThat(PythonLiteral.parse(ok)).isInstanceOf(PythonLiteral.PyList.class);
        assertThatThrownBy(() -> PythonLiteral.parse("[" + ok + "]")).hasMessageContaining("nesting deeper");
        assertThatThrownBy(() -> PythonLiteral.parse(deep)).hasMessageContaining("nesting deeper than 32 levels");
    }

    @Test
    void tuplesAndListsAreDistinct() {
        assertThat(PythonLiteral.parse("(1, 2)")).isInstanceOf(PythonLiteral.Tuple.class);
        assertThat(((PythonLiteral.PyList) PythonLiteral.parse("[1, 'a', ]")).items)
                .isEqualTo(List.of(1L, "a"));
    }
}
