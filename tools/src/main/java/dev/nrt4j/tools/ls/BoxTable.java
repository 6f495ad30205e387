package dev.nrt4j.tools.ls;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/**
 * A table drawn as neuron-ls draws it: {@code +---+} rules, {@code |} between cells, headers of two
 * lines centred (extra space going where Python's {@code str.center} puts it, which neuron-ls uses),
 * values left-aligned, and a rule after the header and after every group of rows.
 */
final class BoxTable {
    private final String[][] header;
    private final List<List<String[]>> groups = new ArrayList<>();

    /** Each header is {@code "FIRST LINE/SECOND LINE"}. */
    BoxTable(List<String> headers) {
        header = new String[headers.size()][];
        for (int i = 0; i < headers.size(); i++) {
            String[] lines = headers.get(i).split("/", -1);
            header[i] = new String[] {lines[0], lines.length > 1 ? lines[1] : ""};
        }
    }

    /** Starts a group of rows, closed by a rule. */
    BoxTable group() {
        groups.add(new ArrayList<>());
        return this;
    }

    /** Adds a row to the current group. */
    BoxTable row(List<String> cells) {
        if (cells.size() != header.length) {
            throw new IllegalArgumentException("row has " + cells.size() + " cells, table has " + header.length);
        }
        groups.get(groups.size() - 1).add(cells.toArray(new String[0]));
        return this;
    }

    void print(PrintWriter out) {
        int[] width = new int[header.length];
        for (int i = 0; i < header.length; i++) {
            width[i] = Math.max(header[i][0].length(), header[i][1].length());
        }
        for (List<String[]> g : groups) {
            for (String[] r : g) {
                for (int i = 0; i < r.length; i++) {
                    width[i] = Math.max(width[i], r[i].length());
                }
            }
        }
        String rule = rule(width);
        out.println(rule);
        for (int line = 0; line < 2; line++) {
            StringBuilder b = new StringBuilder("|");
            for (int i = 0; i < header.length; i++) {
                b.append(' ').append(center(header[i][line], width[i])).append(" |");
            }
            out.println(b);
        }
        out.println(rule);
        for (List<String[]> g : groups) {
            for (String[] r : g) {
                StringBuilder b = new StringBuilder("|");
                for (int i = 0; i < r.length; i++) {
                    b.append(' ')
                            .append(r[i])
                            .append(" ".repeat(width[i] - r[i].length()))
                            .append(" |");
                }
                out.println(b);
            }
            out.println(rule);
        }
    }

    private static String rule(int[] width) {
        StringBuilder b = new StringBuilder("+");
        for (int w : width) {
            b.append("-".repeat(w + 2)).append('+');
        }
        return b.toString();
    }

    /** Python's {@code s.center(width)}: the odd space goes left only when both the padding and the width are odd. */
    static String center(String s, int width) {
        int pad = width - s.length();
        if (pad <= 0) {
            return s;
        }
        int left = pad / 2 + (pad & width & 1);
        return " ".repeat(left) + s + " ".repeat(pad - left);
    }
}
