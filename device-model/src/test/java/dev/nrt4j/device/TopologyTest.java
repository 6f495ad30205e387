package dev.nrt4j.device;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class TopologyTest {

    /** device-facts.md §2b, as neuron-ls prints it: [up, left, down, right]. */
    @ParameterizedTest(name = "{0} device {1}")
    @CsvSource(
            delimiter = '|',
            value = {
                "trn1.32xlarge | 0  | 12, 3, 4, 1",
                "trn1.32xlarge | 1  | 13, 0, 5, 2",
                "trn1.32xlarge | 2  | 14, 1, 6, 3",
                "trn1.32xlarge | 3  | 15, 2, 7, 0",
                "trn1.32xlarge | 4  | 0, 7, 8, 5",
                "trn1.32xlarge | 5  | 1, 4, 9, 6",
                "trn1.32xlarge | 6  | 2, 5, 10, 7",
                "trn1.32xlarge | 7  | 3, 6, 11, 4",
                "trn1.32xlarge | 8  | 4, 11, 12, 9",
                "trn1.32xlarge | 9  | 5, 8, 13, 10",
                "trn1.32xlarge | 10 | 6, 9, 14, 11",
                "trn1.32xlarge | 11 | 7, 10, 15, 8",
                "trn1.32xlarge | 12 | 8, 15, 0, 13",
                "trn1.32xlarge | 13 | 9, 12, 1, 14",
                "trn1.32xlarge | 14 | 10, 13, 2, 15",
                "trn1.32xlarge | 15 | 11, 14, 3, 12",
            })
    void torusRowsMatchNeuronLs(String instance, int device, String expected) {
        List<Integer> want = ints(expected);
        assertThat(InstanceCatalog.byName(instance).topology().neighbours(device))
                .containsExactlyElementsOf(want);
    }

    @ParameterizedTest
    @ValueSource(strings = {"trn1n.32xlarge", "trn2.48xlarge", "trn2u.48xlarge"})
    void everyTorusInstanceHasTheSameTable(String instance) {
        Topology reference = InstanceCatalog.byName("trn1.32xlarge").topology();
        Topology topology = InstanceCatalog.byName(instance).topology();
        assertThat(topology.kind()).isEqualTo(Topology.Kind.TORUS_4X4);
        for (int d = 0; d < 16; d++) {
            assertThat(topology.neighbours(d)).as("device %d", d).isEqualTo(reference.neighbours(d));
        }
    }

    @Test
    void inf2_48xlargeIsARingOfTwelve() {
        Topology ring = InstanceCatalog.byName("inf2.48xlarge").topology();
        assertThat(ring.kind()).isEqualTo(Topology.Kind.RING);
        List<List<Integer>> expected = List.of(
                List.of(11, 1),
                List.of(0, 2),
                List.of(1, 3),
                List.of(2, 4),
                List.of(3, 5),
                List.of(4, 6),
                List.of(5, 7),
                List.of(6, 8),
                List.of(7, 9),
                List.of(8, 10),
                List.of(9, 11),
                List.of(10, 0));
        for (int d = 0; d < 12; d++) {
            assertThat(ring.neighbours(d)).as("device %d", d).isEqualTo(expected.get(d));
        }
    }

    @Test
    void inf2_24xlargeIsAChainListingPreviousFirst() {
        Topology chain = InstanceCatalog.byName("inf2.24xlarge").topology();
        assertThat(chain.kind()).isEqualTo(Topology.Kind.CHAIN);
        List<List<Integer>> expected =
                List.of(List.of(1), List.of(0, 2), List.of(1, 3), List.of(2, 4), List.of(3, 5), List.of(4));
        for (int d = 0; d < 6; d++) {
            assertThat(chain.neighbours(d)).as("device %d", d).isEqualTo(expected.get(d));
        }
    }

    @Test
    void inf1_6xlargeIsAChainListingNextFirst() {
        Topology chain = InstanceCatalog.byName("inf1.6xlarge").topology();
        assertThat(chain.kind()).isEqualTo(Topology.Kind.CHAIN);
        List<List<Integer>> expected = List.of(List.of(1), List.of(2, 0), List.of(3, 1), List.of(2));
        for (int d = 0; d < 4; d++) {
            assertThat(chain.neighbours(d)).as("device %d", d).isEqualTo(expected.get(d));
        }
    }

    @Test
    void singleDeviceHasNoNeighbours() {
        Topology single = InstanceCatalog.byName("trn1.2xlarge").topology();
        assertThat(single.kind()).isEqualTo(Topology.Kind.SINGLE);
        assertThat(single.deviceCount()).isEqualTo(1);
        assertThat(single.neighbours(0)).isEmpty();
    }

    @Test
    void switchedDevicesReachEveryOtherInAscendingOrder() {
        Topology switched = InstanceCatalog.byName("trn3.48xlarge").topology();
        assertThat(switched.neighbours(0)).containsExactly(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15);
        assertThat(switched.neighbours(7)).containsExactly(0, 1, 2, 3, 4, 5, 6, 8, 9, 10, 11, 12, 13, 14, 15);
    }

    @Test
    void unpublishedGraphHasNoListedNeighbours() {
        Topology topology = InstanceCatalog.byName("inf1.24xlarge").topology();
        assertThat(topology.deviceCount()).isEqualTo(16);
        assertThat(topology.neighbours(15)).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"inf1.6xlarge", "inf2.24xlarge", "inf2.48xlarge", "trn1.32xlarge", "trn3.48xlarge"})
    void linksAreSymmetricAndNeverSelf(String instance) {
        Topology topology = InstanceCatalog.byName(instance).topology();
        for (int a = 0; a < topology.deviceCount(); a++) {
            assertThat(topology.neighbours(a)).doesNotContain(a).doesNotHaveDuplicates();
            for (int b : topology.neighbours(a)) {
                assertThat(topology.linked(b, a)).as("%d-%d", b, a).isTrue();
            }
        }
    }

    @Test
    void deviceIdsAreChecked() {
        Topology torus = Topology.torus4x4();
        assertThatThrownBy(() -> torus.neighbours(16))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("0-15");
        assertThatThrownBy(() -> torus.neighbours(-1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> torus.linked(0, 16)).isInstanceOf(IllegalArgumentException.class);
        assertThat(torus.linked(0, 12)).isTrue();
        assertThat(torus.linked(0, 5)).isFalse();
    }

    @Test
    void neighbourListsCannotBeModified() {
        assertThatThrownBy(() -> Topology.ring(3).neighbours(0).add(1))
                .isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void tooSmallShapesAreRejected() {
        assertThatThrownBy(() -> Topology.ring(2)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Topology.chainNextFirst(1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Topology.switched(1)).isInstanceOf(IllegalArgumentException.class);
    }

    private static List<Integer> ints(String csv) {
        return java.util.Arrays.stream(csv.split(","))
                .map(String::strip)
                .map(Integer::valueOf)
                .toList();
    }
}
