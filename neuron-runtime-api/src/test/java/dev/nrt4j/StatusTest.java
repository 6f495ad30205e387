package dev.nrt4j;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** {@link Status} against the {@code NRT_STATUS} table of nrt_status.h (nrt-api.md §3.2). */
class StatusTest {
    /** nrt-api.md §3.2, written out by hand: the header's name and number of every code. */
    private static final String[][] NRT_STATUS = {
        {"NRT_SUCCESS", "0"},
        {"NRT_FAILURE", "1"},
        {"NRT_INVALID", "2"},
        {"NRT_INVALID_HANDLE", "3"},
        {"NRT_RESOURCE", "4"},
        {"NRT_TIMEOUT", "5"},
        {"NRT_HW_ERROR", "6"},
        {"NRT_QUEUE_FULL", "7"},
        {"NRT_LOAD_NOT_ENOUGH_NC", "9"},
        {"NRT_UNSUPPORTED_NEFF_VERSION", "10"},
        {"NRT_FAIL_HOST_MEM_ALLOC", "11"},
        {"NRT_UNINITIALIZED", "13"},
        {"NRT_CLOSED", "14"},
        {"NRT_QUEUE_EMPTY", "15"},
        {"NRT_EXEC_UNIT_UNRECOVERABLE", "101"},
        {"NRT_EXEC_BAD_INPUT", "1002"},
        {"NRT_EXEC_COMPLETED_WITH_NUM_ERR", "1003"},
        {"NRT_EXEC_COMPLETED_WITH_ERR", "1004"},
        {"NRT_EXEC_NC_BUSY", "1005"},
        {"NRT_EXEC_OOB", "1006"},
        {"NRT_COLL_PENDING", "1100"},
        {"NRT_EXEC_HW_ERR_COLLECTIVES", "1200"},
        {"NRT_EXEC_HW_ERR_HBM_UE", "1201"},
        {"NRT_EXEC_HW_ERR_NC_UE", "1202"},
        {"NRT_EXEC_HW_ERR_DMA_ABORT", "1203"},
        {"NRT_EXEC_SW_NQ_OVERFLOW", "1204"},
        {"NRT_EXEC_HW_ERR_REPAIRABLE_HBM_UE", "1205"},
        {"NRT_NETWORK_PROXY_FAILURE", "1206"},
    };

    @Test
    void everyHeaderCodeHasAConstantWithItsNumberAndBackAgain() {
        for (String[] row : NRT_STATUS) {
            Status status = Status.valueOf(row[0].substring("NRT_".length()));
            int code = Integer.parseInt(row[1]);
            assertThat(status.code()).as(row[0]).isEqualTo(code);
            assertThat(Status.fromCode(code)).as(row[0]).isSameAs(status);
        }
    }

    @Test
    void theEnumHoldsExactlyTheHeaderCodesPlusUnknown() {
        Set<String> expected = Stream.concat(
                        Arrays.stream(NRT_STATUS).map(row -> row[0].substring("NRT_".length())), Stream.of("UNKNOWN"))
                .collect(Collectors.toSet());
        assertThat(Arrays.stream(Status.values()).map(Enum::name)).containsExactlyInAnyOrderElementsOf(expected);
    }

    @ParameterizedTest
    @ValueSource(
            ints = {
                8,
                12,
                16,
                100,
                102,
                1000,
                1001,
                1007,
                1099,
                1101,
                1199,
                1207,
                99999,
                -1,
                -2,
                Integer.MIN_VALUE,
                Integer.MAX_VALUE
            })
    void numbersWithoutANameAreUnknown(int code) {
        assertThat(Status.fromCode(code)).isSameAs(Status.UNKNOWN);
    }

    @ParameterizedTest
    @CsvSource({"UNKNOWN, -1", "SUCCESS, 0"})
    void sentinelNumbers(Status status, int code) {
        assertThat(status.code()).isEqualTo(code);
    }
}
