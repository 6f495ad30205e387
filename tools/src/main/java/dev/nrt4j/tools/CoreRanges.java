package dev.nrt4j.tools;

import java.util.List;

/** Core id lists written as neuron-ls writes them: {@code [0, 1, 2, 3] -> "0-3"}. */
public final class CoreRanges {
    private CoreRanges() {}

    /** The ids, which must ascend, as comma-separated single ids and inclusive ranges; {@code "-"} for none. */
    public static String format(List<Integer> ids) {
        if (ids.isEmpty()) {
            return "-";
        }
        StringBuilder out = new StringBuilder();
        int start = ids.get(0);
        int prev = start;
        for (int i = 1; i <= ids.size(); i++) {
            boolean end = i == ids.size() || ids.get(i) != prev + 1;
            if (end) {
                out.append(out.length() == 0 ? "" : ",")
                        .append(start == prev ? String.valueOf(start) : start + "-" + prev);
                if (i < ids.size()) {
                    start = ids.get(i);
                }
            }
            if (i < ids.size()) {
                prev = ids.get(i);
            }
        }
        return out.toString();
    }
}
