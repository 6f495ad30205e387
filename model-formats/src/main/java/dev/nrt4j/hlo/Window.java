package dev.nrt4j.hlo;

import java.util.List;

/**
 * The window of a convolution, reduce-window or select-and-scatter: one {@link WindowDimension} per
 * spatial (or every) dimension.
 *
 * @param dimensions the dimensions, in order
 */
public record Window(List<WindowDimension> dimensions) {
    /** Copies the list. */
    public Window {
        dimensions = List.copyOf(dimensions);
    }
}
