package dev.nrt4j.device;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class LogicalCoreLayoutTest {
    private static final long GIB = 1L << 30;
    private static final InstanceType TRN2 = InstanceCatalog.byName("trn2.48xlarge");

    @Test
    void trn2AtLnc2GroupsCorePairsAndGivesEachItsOwnStack() {
        LogicalCoreLayout layout = TRN2.layout(2);
        assertThat(layout.lnc()).isEqualTo(2);
        assertThat(layout.logicalCoreCount()).isEqualTo(64);
        assertThat(layout.logicalCoresPerDevice()).isEqualTo(4);
        assertThat(layout.coreVersionName()).isEqualTo("v3d");
        assertThat(layout.coreIdsOfDevice(0)).containsExactly(0, 1, 2, 3);
        assertThat(layout.coreIdsOfDevice(15)).containsExactly(60, 61, 62, 63);

        // logical core 21 = device 5, local index 1
        assertThat(layout.deviceOf(21)).isEqualTo(5);
        assertThat(layout.physicalCoresOf(21)).containsExactly(2, 3);
        assertThat(layout.hbmStackOf(21)).isEqualTo(1);
        assertThat(layout.coresSharingHbmStack(21)).containsExactly(21);
        assertThat(layout.core(21)).isEqualTo(new LogicalCore(21, 5, 1, List.of(2, 3), 1, 24 * GIB));
        assertThat(layout.core(63)).isEqualTo(new LogicalCore(63, 15, 3, List.of(6, 7), 3, 24 * GIB));
    }

    @Test
    void trn2AtLnc1HasTwoLogicalCoresPerStack() {
        LogicalCoreLayout layout = TRN2.layout(1);
        assertThat(layout.logicalCoreCount()).isEqualTo(128);
        assertThat(layout.logicalCoresPerDevice()).isEqualTo(8);
        assertThat(layout.coreVersionName()).isEqualTo("v3");
        assertThat(layout.coreIdsOfDevice(1)).containsExactly(8, 9, 10, 11, 12, 13, 14, 15);

        // logical core 13 = device 1, physical core 5, which shares HBM 2 with physical core 4
        assertThat(layout.deviceOf(13)).isEqualTo(1);
        assertThat(layout.physicalCoresOf(13)).containsExactly(5);
        assertThat(layout.hbmStackOf(13)).isEqualTo(2);
        assertThat(layout.coresSharingHbmStack(13)).containsExactly(12, 13);
        assertThat(layout.coresSharingHbmStack(12)).containsExactly(12, 13);
        assertThat(layout.coresSharingHbmStack(127)).containsExactly(126, 127);
        assertThat(layout.core(13).hbmStackBytes()).isEqualTo(24 * GIB);
    }

    @ParameterizedTest(name = "logical core {0}")
    @CsvSource({"0, 0, 0", "1, 0, 1", "2, 1, 0", "5, 2, 1", "31, 15, 1"})
    void trn1GivesEveryCoreItsOwnStack(int logical, int device, int stack) {
        LogicalCoreLayout layout = InstanceCatalog.byName("trn1.32xlarge").defaultLayout();
        assertThat(layout.lnc()).isEqualTo(1);
        assertThat(layout.coreVersionName()).isEqualTo("v2");
        assertThat(layout.deviceOf(logical)).isEqualTo(device);
        assertThat(layout.physicalCoresOf(logical)).containsExactly(stack);
        assertThat(layout.hbmStackOf(logical)).isEqualTo(stack);
        assertThat(layout.coresSharingHbmStack(logical)).containsExactly(logical);
        assertThat(layout.core(logical).hbmStackBytes()).isEqualTo(16 * GIB);
    }

    @Test
    void inf2RejectsLnc2AndDefaultsTo1() {
        InstanceType inf2 = InstanceCatalog.byName("inf2.48xlarge");
        assertThat(inf2.defaultLayout()).isEqualTo(inf2.layout(1));
        assertThat(inf2.defaultLayout().logicalCoreCount()).isEqualTo(24);
        assertThatThrownBy(() -> inf2.layout(2))
                .isInstanceOf(InvalidLncException.class)
                .hasMessageContaining("Inferentia2");
    }

    @Test
    void trn2DefaultLayoutIsLnc2() {
        assertThat(TRN2.defaultLayout()).isEqualTo(TRN2.layout(2));
        assertThat(InstanceCatalog.byName("trn2.3xlarge").defaultLayout().logicalCoreCount())
                .isEqualTo(4);
    }

    @Test
    void trn3AtLnc2OwnsA36GibStack() {
        LogicalCoreLayout layout = InstanceCatalog.byName("trn3.48xlarge").layout(2);
        assertThat(layout.core(5)).isEqualTo(new LogicalCore(5, 1, 1, List.of(2, 3), 1, 36 * GIB));
    }

    @Test
    void inf1CoresShareADramChannelInPairs() {
        LogicalCoreLayout layout = InstanceCatalog.byName("inf1.xlarge").defaultLayout();
        assertThat(layout.coresSharingHbmStack(3)).containsExactly(2, 3);
        assertThat(layout.core(3).hbmStackBytes()).isEqualTo(4 * GIB);
    }

    @Test
    void coresListIsEveryCoreInIdOrder() {
        List<LogicalCore> cores = TRN2.layout(1).cores();
        assertThat(cores).hasSize(128);
        for (int id = 0; id < cores.size(); id++) {
            LogicalCore core = cores.get(id);
            assertThat(core.id()).isEqualTo(id);
            assertThat(core.device() * 8 + core.indexOnDevice()).isEqualTo(id);
        }
        assertThatThrownBy(() -> cores.remove(0)).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void idsAreChecked() {
        LogicalCoreLayout layout = TRN2.layout(2);
        assertThatThrownBy(() -> layout.deviceOf(64))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("logical core 64 does not exist on trn2.48xlarge at LNC=2; logical cores are 0-63");
        assertThatThrownBy(() -> layout.core(-1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> layout.coreIdsOfDevice(16))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("0-15");
    }

    @Test
    void logicalCoreCopiesItsList() {
        List<Integer> physical = new java.util.ArrayList<>(List.of(0, 1));
        LogicalCore core = new LogicalCore(0, 0, 0, physical, 0, GIB);
        physical.add(2);
        assertThat(core.physicalCores()).containsExactly(0, 1);
        assertThatThrownBy(() -> new LogicalCore(0, 0, 0, List.of(), 0, GIB))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
