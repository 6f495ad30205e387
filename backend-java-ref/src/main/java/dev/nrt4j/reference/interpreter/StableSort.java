package dev.nrt4j.reference.interpreter;

/**
 * A stable merge sort of positions under a caller's "less than" predicate. Unlike
 * {@link java.util.Arrays#sort} with a comparator it never rejects a predicate that is not a strict
 * weak order (a user's comparator may be anything); the result is then some permutation, as XLA's
 * would be.
 */
final class StableSort {
    /** Whether element {@code a} sorts strictly before element {@code b}. */
    @FunctionalInterface
    interface Less {
        boolean less(int a, int b);
    }

    private static final int RUN = 16;

    private StableSort() {}

    /** Sorts {@code perm} (positions handed to {@code less}) stably; {@code buffer} is scratch of the same length. */
    static void sort(int[] perm, int[] buffer, int n, Less less) {
        for (int lo = 0; lo < n; lo += RUN) {
            int hi = Math.min(n, lo + RUN);
            for (int i = lo + 1; i < hi; i++) {
                int x = perm[i];
                int j = i - 1;
                while (j >= lo && less.less(x, perm[j])) {
                    perm[j + 1] = perm[j];
                    j--;
                }
                perm[j + 1] = x;
            }
        }
        int[] src = perm;
        int[] dst = buffer;
        for (int width = RUN; width < n; width *= 2) {
            for (int lo = 0; lo < n; lo += 2 * width) {
                int mid = Math.min(n, lo + width);
                int hi = Math.min(n, lo + 2 * width);
                int i = lo;
                int j = mid;
                int k = lo;
                while (i < mid && j < hi) {
                    // Take from the right only when strictly less: equal elements keep their order.
                    dst[k++] = less.less(src[j], src[i]) ? src[j++] : src[i++];
                }
                while (i < mid) {
                    dst[k++] = src[i++];
                }
                while (j < hi) {
                    dst[k++] = src[j++];
                }
            }
            int[] t = src;
            src = dst;
            dst = t;
        }
        if (src != perm) {
            System.arraycopy(src, 0, perm, 0, n);
        }
    }
}
