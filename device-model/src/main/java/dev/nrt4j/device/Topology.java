package dev.nrt4j.device;

import java.util.ArrayList;
import java.util.List;

/**
 * How the Neuron devices of one instance are linked by NeuronLink: for each device id, its
 * neighbours in the order neuron-ls prints them under {@code CONNECTED DEVICES} (and sysfs
 * writes to {@code connected_devices}).
 *
 * <p>Immutable and thread-safe.
 */
public final class Topology {

    /** The shape of the link graph. */
    public enum Kind {
        /** One device, no links. */
        SINGLE,
        /** An open chain {@code 0-1-...-(n-1)}; the two ends have one neighbour. */
        CHAIN,
        /** A closed ring {@code 0-1-...-(n-1)-0}. */
        RING,
        /** Sixteen devices on a 4x4 grid with wrap-around in both directions (a 2D torus). */
        TORUS_4X4,
        /** Every device reaches every other through a switch (Trainium3 NeuronSwitch). */
        SWITCHED,
        /**
         * The devices are linked, but the graph is not published (inf1.24xlarge, whose firmware
         * discovers its links); {@link #neighbours(int)} is empty for every device.
         */
        UNPUBLISHED
    }

    private final Kind kind;
    private final List<List<Integer>> neighbours;

    private Topology(Kind kind, List<List<Integer>> neighbours) {
        this.kind = kind;
        this.neighbours = List.copyOf(neighbours);
    }

    /** {@return the topology of a single device with no links} */
    public static Topology single() {
        return new Topology(Kind.SINGLE, List.of(List.of()));
    }

    /**
     * An open chain listing each device's neighbours as {@code [d-1, d+1]}, as the Inferentia2
     * driver table and neuron-ls do on inf2.24xlarge ({@code 1: [0, 2]}).
     *
     * @param devices the number of devices, at least 2
     * @return the chain, of kind {@link Kind#CHAIN}
     * @throws IllegalArgumentException if {@code devices} is below 2
     */
    public static Topology chainPreviousFirst(int devices) {
        return chain(devices, false);
    }

    /**
     * An open chain listing each device's neighbours as {@code [d+1, d-1]}, as neuron-ls printed
     * them on inf1.6xlarge ({@code 1: [2, 0]}).
     *
     * @param devices the number of devices, at least 2
     * @return the chain, of kind {@link Kind#CHAIN}
     * @throws IllegalArgumentException if {@code devices} is below 2
     */
    public static Topology chainNextFirst(int devices) {
        return chain(devices, true);
    }

    private static Topology chain(int devices, boolean nextFirst) {
        requireAtLeast(devices, 2, "a chain");
        List<List<Integer>> all = new ArrayList<>();
        for (int d = 0; d < devices; d++) {
            List<Integer> row = new ArrayList<>(2);
            if (d > 0) {
                row.add(d - 1);
            }
            if (d < devices - 1) {
                row.add(nextFirst ? 0 : row.size(), d + 1);
            }
            all.add(List.copyOf(row));
        }
        return new Topology(Kind.CHAIN, all);
    }

    /**
     * A ring listing each device's neighbours as {@code [(d-1) mod n, (d+1) mod n]}, as on
     * inf2.48xlarge ({@code 0: [11, 1]}).
     *
     * @param devices the number of devices, at least 3
     * @return the ring, of kind {@link Kind#RING}
     * @throws IllegalArgumentException if {@code devices} is below 3 (a smaller ring is a chain)
     */
    public static Topology ring(int devices) {
        requireAtLeast(devices, 3, "a ring");
        List<List<Integer>> all = new ArrayList<>();
        for (int d = 0; d < devices; d++) {
            all.add(List.of(Math.floorMod(d - 1, devices), Math.floorMod(d + 1, devices)));
        }
        return new Topology(Kind.RING, all);
    }

    /**
     * The 4x4 torus of trn1.32xlarge, trn1n.32xlarge and trn2(u).48xlarge: device {@code d} sits at
     * row {@code d / 4}, column {@code d % 4}, and neuron-ls lists its neighbours as
     * {@code [up, left, down, right]} with wrap-around (device 0: {@code [12, 3, 4, 1]}). The
     * Trainium2 driver keeps the same sets in a per-link order, but neuron-ls prints this one.
     *
     * @return the torus of 16 devices, of kind {@link Kind#TORUS_4X4}
     */
    public static Topology torus4x4() {
        List<List<Integer>> all = new ArrayList<>();
        for (int d = 0; d < 16; d++) {
            int row = d / 4;
            int col = d % 4;
            all.add(List.of(
                    Math.floorMod(row - 1, 4) * 4 + col,
                    row * 4 + Math.floorMod(col - 1, 4),
                    Math.floorMod(row + 1, 4) * 4 + col,
                    row * 4 + Math.floorMod(col + 1, 4)));
        }
        return new Topology(Kind.TORUS_4X4, all);
    }

    /**
     * Devices that all reach each other through a switch; each device lists every other device in
     * ascending order. The order is a choice of this catalog: no neuron-ls sample for a switched
     * Trainium3 server has been published.
     *
     * @param devices the number of devices, at least 2
     * @return the all-to-all graph, of kind {@link Kind#SWITCHED}
     * @throws IllegalArgumentException if {@code devices} is below 2
     */
    public static Topology switched(int devices) {
        requireAtLeast(devices, 2, "a switched topology");
        List<List<Integer>> all = new ArrayList<>();
        for (int d = 0; d < devices; d++) {
            List<Integer> row = new ArrayList<>(devices - 1);
            for (int other = 0; other < devices; other++) {
                if (other != d) {
                    row.add(other);
                }
            }
            all.add(List.copyOf(row));
        }
        return new Topology(Kind.SWITCHED, all);
    }

    /**
     * Linked devices whose link graph is not published; every neighbour list is empty.
     *
     * @param devices the number of devices, at least 1
     * @return the topology, of kind {@link Kind#UNPUBLISHED}
     * @throws IllegalArgumentException if {@code devices} is below 1
     */
    public static Topology unpublished(int devices) {
        requireAtLeast(devices, 1, "a topology");
        List<List<Integer>> all = new ArrayList<>();
        for (int d = 0; d < devices; d++) {
            all.add(List.of());
        }
        return new Topology(Kind.UNPUBLISHED, all);
    }

    private static void requireAtLeast(int devices, int min, String what) {
        if (devices < min) {
            throw new IllegalArgumentException(what + " needs at least " + min + " devices, not " + devices);
        }
    }

    /** {@return the shape of the link graph} */
    public Kind kind() {
        return kind;
    }

    /** {@return the number of devices, ids {@code 0 .. deviceCount()-1}} */
    public int deviceCount() {
        return neighbours.size();
    }

    /**
     * The devices linked to {@code device}, in neuron-ls order; unmodifiable.
     *
     * @param device a device id, {@code 0 <= device < deviceCount()}
     * @return the neighbours' ids; empty for a single device or an unpublished graph
     * @throws IllegalArgumentException if {@code device} is not a device id of this topology
     */
    public List<Integer> neighbours(int device) {
        if (device < 0 || device >= neighbours.size()) {
            throw new IllegalArgumentException(
                    "device " + device + " does not exist; devices are 0-" + (neighbours.size() - 1));
        }
        return neighbours.get(device);
    }

    /**
     * Whether a NeuronLink joins devices {@code a} and {@code b} directly.
     *
     * @param a a device id, {@code 0 <= a < deviceCount()}
     * @param b a device id, {@code 0 <= b < deviceCount()}
     * @return whether {@code b} is among {@code a}'s neighbours (false for {@code a == b}, and for every
     *     pair of an unpublished graph)
     * @throws IllegalArgumentException if either is not a device id of this topology
     */
    public boolean linked(int a, int b) {
        neighbours(b);
        return neighbours(a).contains(b);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Topology && ((Topology) o).kind == kind && ((Topology) o).neighbours.equals(neighbours);
    }

    @Override
    public int hashCode() {
        return kind.hashCode() * 31 + neighbours.hashCode();
    }

    @Override
    public String toString() {
        return kind + "(" + deviceCount() + " devices)";
    }
}
