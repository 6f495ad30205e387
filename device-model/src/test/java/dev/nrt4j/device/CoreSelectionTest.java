package dev.nrt4j.device;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.InstanceOfAssertFactories.type;

import dev.nrt4j.device.CoreSelectionException.Reason;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CoreSelectionTest {
    private static final int TOTAL = 32;

    @ParameterizedTest(name = "\"{0}\"")
    @CsvSource(
            delimiter = '|',
            value = {
                // spec             | first | count
                "3                  | 3     | 1",
                "0                  | 0     | 1",
                "31                 | 31    | 1",
                "0-3                | 0     | 4",
                "3,4,5,6            | 3     | 4",
                "3-5,6              | 3     | 4",
                "3,4-6              | 3     | 4",
                "0-1,2-3,4          | 0     | 5",
                "0-31               | 0     | 32",
                "5-5                | 5     | 1",
                "007                | 7     | 1",
                "' 3 - 5 , 6 '      | 3     | 4",
                "'\t4\n'            | 4     | 1",
            })
    void validForms(String spec, int first, int count) {
        VisibleCores cores = CoreSelection.parseVisibleCores(spec, TOTAL);
        assertThat(cores.first()).isEqualTo(first);
        assertThat(cores.count()).isEqualTo(count);
        assertThat(cores.last()).isEqualTo(first + count - 1);
        assertThat(cores.ids()).hasSize(count).first().isEqualTo(first);
    }

    @ParameterizedTest(name = "\"{0}\" -> {1}")
    @CsvSource(
            delimiter = '|',
            value = {
                "''          | MALFORMED      | is empty",
                "'   '       | MALFORMED      | is empty",
                "a           | MALFORMED      | \"a\", which is not a core id",
                "3-          | MALFORMED      | \"\", which is not a core id",
                "-3          | MALFORMED      | negative id \"-3\"",
                "1--2        | MALFORMED      | negative id \"-2\"",
                "+3          | MALFORMED      | \"+3\", which is not a core id",
                "1 2         | MALFORMED      | \"1 2\", which is not a core id",
                "3,          | MALFORMED      | empty list element",
                ",3          | MALFORMED      | empty list element",
                "1,,2        | MALFORMED      | empty list element",
                "0x3         | MALFORMED      | \"0x3\", which is not a core id",
                "3-1         | MALFORMED      | range \"3-1\", which runs backwards",
                "1-2-3       | MALFORMED      | \"2-3\", which is not a core id",
                "3,5,6       | NOT_CONTIGUOUS | core 5 follows core 3, skipping 4",
                "0-2,6       | NOT_CONTIGUOUS | core 6 follows core 2, skipping 3-5",
                "5,4         | NOT_CONTIGUOUS | core 4 comes after core 5, but ids must increase",
                "3,3         | NOT_CONTIGUOUS | core 3 appears twice",
                "3-5,5       | NOT_CONTIGUOUS | core 5 appears twice",
                "3-5,4-6     | NOT_CONTIGUOUS | core 4 appears twice",
                "3,5,99      | NOT_CONTIGUOUS | skipping 4",
                "32          | OUT_OF_RANGE   | names core 32, which does not exist",
                "30-33       | OUT_OF_RANGE   | names core 33, which does not exist",
                "40-41       | OUT_OF_RANGE   | names core 40, which does not exist",
                "99999999999999999999 | OUT_OF_RANGE | which does not exist",
            })
    void invalidForms(String spec, Reason reason, String detail) {
        assertThatThrownBy(() -> CoreSelection.parseVisibleCores(spec, TOTAL))
                .asInstanceOf(type(CoreSelectionException.class))
                .satisfies(e -> {
                    assertThat(e.reason()).isEqualTo(reason);
                    assertThat(e.variable()).isEqualTo("NEURON_RT_VISIBLE_CORES");
                    assertThat(e.input()).isEqualTo(spec);
                    assertThat(e.totalCores()).isEqualTo(TOTAL);
                    assertThat(e.getMessage())
                            .startsWith("NEURON_RT_VISIBLE_CORES=\"" + spec + "\" ")
                            .contains(detail)
                            .endsWith("valid core ids are 0-31 (32 logical cores)");
                });
    }

    @Test
    void exceptionIsAnIllegalArgumentException() {
        assertThatThrownBy(() -> CoreSelection.parseVisibleCores("x", TOTAL))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void malformedMessageListsTheAcceptedForms() {
        assertThatThrownBy(() -> CoreSelection.parseVisibleCores("all", 4))
                .hasMessage("NEURON_RT_VISIBLE_CORES=\"all\" is malformed: has \"all\", which is not a core id;"
                        + " use a single id (\"3\"), an inclusive range (\"0-3\"), a list (\"3,4,5\") or a mix"
                        + " (\"3-5,6\"); valid core ids are 0-3 (4 logical cores)");
    }

    @Test
    void rangeCheckUsesTheTotalGiven() {
        assertThat(CoreSelection.parseVisibleCores("0-63", 64).count()).isEqualTo(64);
        assertThat(reason(() -> CoreSelection.parseVisibleCores("0-63", 32))).isEqualTo(Reason.OUT_OF_RANGE);
        assertThat(reason(() -> CoreSelection.parseVisibleCores("1", 1))).isEqualTo(Reason.OUT_OF_RANGE);
        assertThatThrownBy(() -> CoreSelection.parseVisibleCores("0", 0))
                .isInstanceOf(IllegalArgumentException.class)
                .isNotInstanceOf(CoreSelectionException.class);
    }

    @ParameterizedTest(name = "NUM=\"{0}\"")
    @CsvSource(
            delimiter = '|',
            value = {"1 | 1", "4 | 4", "32 | 32", "0 | 32", "' 8 ' | 8", "0008 | 8"})
    void numCoresCounts(String spec, int expected) {
        assertThat(CoreSelection.parseNumCores(spec, TOTAL)).isEqualTo(expected);
        VisibleCores selected = CoreSelection.select(null, spec, TOTAL);
        assertThat(selected).isEqualTo(VisibleCores.range(0, expected));
    }

    @ParameterizedTest(name = "NUM=\"{0}\" -> {1}")
    @CsvSource(
            delimiter = '|',
            value = {
                "''                    | MALFORMED",
                "x                     | MALFORMED",
                "-1                    | MALFORMED",
                "1.5                   | MALFORMED",
                "0-3                   | MALFORMED",
                "33                    | NOT_ENOUGH_CORES",
                "128                   | NOT_ENOUGH_CORES",
                "99999999999999999999  | NOT_ENOUGH_CORES",
            })
    void invalidNumCores(String spec, Reason reason) {
        assertThatThrownBy(() -> CoreSelection.parseNumCores(spec, TOTAL))
                .asInstanceOf(type(CoreSelectionException.class))
                .satisfies(e -> {
                    assertThat(e.reason()).isEqualTo(reason);
                    assertThat(e.variable()).isEqualTo("NEURON_RT_NUM_CORES");
                    assertThat(e.getMessage())
                            .startsWith("NEURON_RT_NUM_CORES=\"" + spec + "\" ")
                            .endsWith("valid core ids are 0-31 (32 logical cores)");
                });
    }

    @Test
    void neitherSetMeansAllCores() {
        assertThat(CoreSelection.select(null, null, TOTAL)).isEqualTo(VisibleCores.range(0, 32));
        assertThat(CoreSelection.fromEnvironment(Map.of(), 64)).isEqualTo(VisibleCores.range(0, 64));
    }

    @Test
    void visibleWinsOverNum() {
        assertThat(CoreSelection.select("4-5", "8", TOTAL)).isEqualTo(VisibleCores.range(4, 2));
        // the count is not even read when the cores are named
        assertThat(CoreSelection.select("4-5", "not a number", TOTAL)).isEqualTo(VisibleCores.range(4, 2));
        assertThat(CoreSelection.select("4-5", "999", TOTAL)).isEqualTo(VisibleCores.range(4, 2));
        assertThat(CoreSelection.fromEnvironment(
                        Map.of("NEURON_RT_VISIBLE_CORES", "10", "NEURON_RT_NUM_CORES", "4"), TOTAL))
                .isEqualTo(VisibleCores.range(10, 1));
        assertThat(CoreSelection.fromEnvironment(Map.of("NEURON_RT_NUM_CORES", "4"), TOTAL))
                .isEqualTo(VisibleCores.range(0, 4));
    }

    @Test
    void anInvalidVisibleValueIsNotRescuedByAValidCount() {
        assertThat(reason(() -> CoreSelection.select("3,5", "2", TOTAL))).isEqualTo(Reason.NOT_CONTIGUOUS);
        assertThat(reason(() -> CoreSelection.select("", "2", TOTAL))).isEqualTo(Reason.MALFORMED);
    }

    @Test
    void namedCoresMustBeFree() {
        Set<Integer> busy = Set.of(2, 3);
        assertThat(CoreSelection.select("4-7", null, 8, id -> !busy.contains(id)))
                .isEqualTo(VisibleCores.range(4, 4));
        assertThatThrownBy(() -> CoreSelection.select("1-3", null, 8, id -> !busy.contains(id)))
                .asInstanceOf(type(CoreSelectionException.class))
                .satisfies(e -> {
                    assertThat(e.reason()).isEqualTo(Reason.NOT_ENOUGH_CORES);
                    assertThat(e.getMessage())
                            .isEqualTo("NEURON_RT_VISIBLE_CORES=\"1-3\" names cores 2, 3,"
                                    + " in use by another process; valid core ids are 0-7 (8 logical cores)");
                });
    }

    @Test
    void aCountTakesTheLowestFreeRun() {
        Set<Integer> busy = Set.of(1, 4);
        assertThat(CoreSelection.select(null, "1", 8, id -> !busy.contains(id))).isEqualTo(VisibleCores.range(0, 1));
        assertThat(CoreSelection.select(null, "2", 8, id -> !busy.contains(id))).isEqualTo(VisibleCores.range(2, 2));
        assertThat(CoreSelection.select(null, "3", 8, id -> !busy.contains(id))).isEqualTo(VisibleCores.range(5, 3));
        assertThatThrownBy(() -> CoreSelection.select(null, "4", 8, id -> !busy.contains(id)))
                .asInstanceOf(type(CoreSelectionException.class))
                .satisfies(e -> {
                    assertThat(e.reason()).isEqualTo(Reason.NOT_ENOUGH_CORES);
                    assertThat(e.getMessage())
                            .contains("needs 4 consecutive free cores")
                            .contains("the free cores are 0, 2, 3, 5, 6, 7");
                });
    }

    @Test
    void allCoresNeedsEveryCoreFree() {
        assertThatThrownBy(() -> CoreSelection.select(null, null, 4, id -> id != 2))
                .asInstanceOf(type(CoreSelectionException.class))
                .satisfies(e -> {
                    assertThat(e.reason()).isEqualTo(Reason.NOT_ENOUGH_CORES);
                    assertThat(e.input()).isNull();
                    assertThat(e.getMessage())
                            .startsWith("NEURON_RT_NUM_CORES is unset, which means all cores,")
                            .contains("the free cores are 0, 1, 3");
                });
        assertThat(reason(() -> CoreSelection.select(null, "0", 4, id -> false)))
                .isEqualTo(Reason.NOT_ENOUGH_CORES);
    }

    @Test
    void visibleCoresValue() {
        VisibleCores cores = VisibleCores.range(60, 4);
        assertThat(cores.ids()).containsExactly(60, 61, 62, 63);
        assertThat(cores.globalId(0)).isEqualTo(60);
        assertThat(cores.globalId(3)).isEqualTo(63);
        assertThat(cores.contains(59)).isFalse();
        assertThat(cores.contains(63)).isTrue();
        assertThat(cores.contains(64)).isFalse();
        assertThat(cores.toSpec()).isEqualTo("60-63");
        assertThat(VisibleCores.range(7, 1).toSpec()).isEqualTo("7");
        assertThat(CoreSelection.parseVisibleCores(cores.toSpec(), 64)).isEqualTo(cores);
        assertThatThrownBy(() -> cores.globalId(4)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> VisibleCores.range(0, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> VisibleCores.range(-1, 2)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> cores.ids().add(1)).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void worksAgainstTheCatalogCounts() {
        InstanceType trn2 = InstanceCatalog.byName("trn2.48xlarge");
        assertThat(CoreSelection.parseVisibleCores("64-127", trn2.visibleCoreCount(1))
                        .count())
                .isEqualTo(64);
        assertThat(reason(() -> CoreSelection.parseVisibleCores("64-127", trn2.visibleCoreCount(2))))
                .isEqualTo(Reason.OUT_OF_RANGE);
        assertThat(List.of(Reason.values()))
                .containsExactly(Reason.MALFORMED, Reason.NOT_CONTIGUOUS, Reason.OUT_OF_RANGE, Reason.NOT_ENOUGH_CORES);
    }

    private static Reason reason(ThrowingCallable call) {
        try {
            call.call();
        } catch (CoreSelectionException e) {
            return e.reason();
        } catch (Throwable other) {
            throw new AssertionError("expected a CoreSelectionException", other);
        }
        throw new AssertionError("expected a CoreSelectionException, but the call succeeded");
    }
}
