package dev.nrt4j.tools.ls;

import dev.nrt4j.device.Topology;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The {@code --topology} drawing: devices as {@code [ n ]} boxes, links as {@code ◄––►} and
 * {@code ▲ │ ▼}, wrap-around links as {@code *––►} and {@code *}. The shape is recognised from the
 * driver's link lists, so a real machine and the reference device are drawn alike: a 4×4 torus (Trn1
 * and Trn2 with 16 devices), a ring (inf2.48xlarge), a chain (inf2.24xlarge), single devices; any
 * other wiring is listed device by device.
 */
final class TopologyDrawing {
    private static final String LINK = "◄––►";
    private static final String WRAP_IN = "*––►";
    private static final String WRAP_OUT = "◄––*";
    /** A box and the link after it. */
    private static final int STEP = 9;

    private TopologyDrawing() {}

    static String draw(DeviceListing listing) {
        List<DeviceListing.Device> devices = listing.devices();
        int n = devices.size();
        StringBuilder out = new StringBuilder();
        if (n == 16 && matches(devices, Topology.torus4x4())) {
            torus(out);
        } else if (n > 2 && matches(devices, Topology.ring(n))) {
            out.append(WRAP_IN).append(line(devices, 0, n)).append(WRAP_OUT).append('\n');
            legend(out);
        } else if (isChain(devices)) {
            out.append(line(devices, 0, n)).append('\n');
        } else {
            for (DeviceListing.Device d : devices) {
                out.append(box(d.index()));
                if (!d.connected().isEmpty()) {
                    out.append(" ").append(LINK).append(" ");
                    for (int i = 0; i < d.connected().size(); i++) {
                        out.append(i == 0 ? "" : " ").append(box(d.connected().get(i)));
                    }
                }
                out.append('\n');
            }
        }
        return out.toString();
    }

    private static void torus(StringBuilder out) {
        String columns = columnMarks('*', 4);
        out.append(columns).append('\n').append(columnMarks('▼', 4)).append('\n');
        for (int row = 0; row < 4; row++) {
            StringBuilder line = new StringBuilder(WRAP_IN);
            for (int col = 0; col < 4; col++) {
                line.append(col == 0 ? "" : LINK).append(box(row * 4 + col));
            }
            out.append(line).append(WRAP_OUT).append('\n');
            out.append(columnMarks('▲', 4)).append('\n');
            if (row < 3) {
                out.append(columnMarks('│', 4))
                        .append('\n')
                        .append(columnMarks('▼', 4))
                        .append('\n');
            }
        }
        out.append(columns).append('\n');
        legend(out);
    }

    private static void legend(StringBuilder out) {
        out.append("Legend:\n\n        *––► = Wrap-around link\n");
    }

    /** One mark under the middle of each of {@code count} boxes drawn after a wrap-around arrow. */
    private static String columnMarks(char mark, int count) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < count; i++) {
            int at = WRAP_IN.length() + i * STEP + 2;
            b.append(" ".repeat(at - b.length())).append(mark);
        }
        return b.toString();
    }

    private static String line(List<DeviceListing.Device> devices, int from, int to) {
        StringBuilder b = new StringBuilder();
        for (int i = from; i < to; i++) {
            b.append(i == from ? "" : LINK).append(box(devices.get(i).index()));
        }
        return b.toString();
    }

    private static String box(int id) {
        return String.format(Locale.ROOT, "[%2d ]", id);
    }

    private static boolean matches(List<DeviceListing.Device> devices, Topology expected) {
        for (int i = 0; i < devices.size(); i++) {
            if (devices.get(i).index() != i
                    || !new HashSet<>(devices.get(i).connected()).equals(new HashSet<>(expected.neighbours(i)))) {
                return false;
            }
        }
        return true;
    }

    /** Each device linked to its neighbours in id order only (no links at all is a chain of one). */
    private static boolean isChain(List<DeviceListing.Device> devices) {
        int n = devices.size();
        for (int i = 0; i < n; i++) {
            Set<Integer> expected = new HashSet<>();
            if (i > 0) {
                expected.add(devices.get(i - 1).index());
            }
            if (i < n - 1) {
                expected.add(devices.get(i + 1).index());
            }
            if (!new HashSet<>(devices.get(i).connected()).equals(expected)) {
                return false;
            }
        }
        return true;
    }
}
