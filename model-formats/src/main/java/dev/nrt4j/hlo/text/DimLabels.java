package dev.nrt4j.hlo.text;

import dev.nrt4j.hlo.ConvolutionDimensions;
import java.util.ArrayList;
import java.util.List;

/** A convolution's {@code dim_labels=}, e.g. {@code b01f_01io->b01f}. Not thread-safe; one per text. */
final class DimLabels {
    private final Cursor c;

    DimLabels(Cursor c) {
        this.c = c;
    }

    /** {@code b01f_01io->b01f}: the position of each letter or digit is the dimension it labels. */
    ConvolutionDimensions read() {
        c.skipSpace();
        int at = c.pos;
        String t = c.text();
        int p = at;
        while (p < t.length() && (Cursor.isNameChar(t.charAt(p)) || t.charAt(p) == '>' || t.charAt(p) == '?')) {
            p++;
        }
        String labels = t.substring(at, p);
        int arrow = labels.indexOf("->");
        int underscore = labels.indexOf('_');
        if (underscore < 0 || arrow < underscore) {
            throw c.errorAt(at, "dim_labels is written like b01f_01io->b01f, not '" + Cursor.printable(labels) + "'");
        }
        String in = labels.substring(0, underscore);
        String kernel = labels.substring(underscore + 1, arrow);
        String out = labels.substring(arrow + 2);
        c.pos = p;
        int spatial = in.length() - 2;
        int[] inputDims = labelPositions(in, 'b', 'f', spatial, at, "input");
        int[] kernelDims = labelPositions(kernel, 'i', 'o', spatial, at, "kernel");
        int[] outputDims = labelPositions(out, 'b', 'f', spatial, at, "output");
        return new ConvolutionDimensions(
                inputDims[0],
                inputDims[1],
                tail(inputDims),
                kernelDims[0],
                kernelDims[1],
                tail(kernelDims),
                outputDims[0],
                outputDims[1],
                tail(outputDims));
    }

    private static List<Integer> tail(int[] a) {
        List<Integer> out = new ArrayList<>();
        for (int i = 2; i < a.length; i++) {
            out.add(a[i]);
        }
        return out;
    }

    /** Positions of the two letters then of spatial digits 0..spatial-1; every label exactly once. */
    private int[] labelPositions(String s, char first, char second, int spatial, int at, String what) {
        if (spatial < 0 || s.length() != spatial + 2 || spatial > 10) {
            throw c.errorAt(
                    at,
                    "the " + what + " labels '" + Cursor.printable(s) + "' must name " + first + ", " + second
                            + " and the same spatial dimensions as the input (at most 10)");
        }
        int[] pos = new int[spatial + 2];
        java.util.Arrays.fill(pos, -1);
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            int slot =
                    ch == first ? 0 : ch == second ? 1 : Cursor.isDigit(ch) && ch - '0' < spatial ? 2 + ch - '0' : -1;
            if (slot < 0 || pos[slot] >= 0) {
                throw c.errorAt(
                        at,
                        "the " + what + " labels '" + Cursor.printable(s) + "' must name " + first + ", " + second
                                + " and spatial dimensions 0.." + (spatial - 1) + " once each");
            }
            pos[slot] = i;
        }
        return pos;
    }
}
