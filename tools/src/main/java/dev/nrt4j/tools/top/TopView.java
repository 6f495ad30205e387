package dev.nrt4j.tools.top;

import java.util.List;
import java.util.OptionalLong;

/**
 * What the full-screen {@code nrt4j top} shows, as its keys change it: which tab (the "all" tab, or a
 * process's, kept by pid so that processes coming and going do not move the view to another one) and
 * whether the grid shows FLOP rates instead of utilization. Tabs are numbered as the tab bar shows them:
 * 1 is "all", 2 onwards the processes in the order the frame lists them. Immutable.
 *
 * @param pid the process of the tab shown, or empty for "all"
 * @param flops whether the grid shows FLOP/s
 */
record TopView(OptionalLong pid, boolean flops) {
    /** The view top starts with: the "all" tab, utilization. */
    static final TopView START = new TopView(OptionalLong.empty(), false);

    /** The number of the tab shown among {@code apps}' tabs; 1 ("all") when its process is gone. */
    int tab(List<TopFrame.App> apps) {
        if (pid.isPresent()) {
            for (int i = 0; i < apps.size(); i++) {
                if (apps.get(i).pid() == pid.getAsLong()) {
                    return i + 2;
                }
            }
        }
        return 1;
    }

    /** Tab {@code number} of {@code apps}' tabs; this view when there is no such tab. */
    TopView select(int number, List<TopFrame.App> apps) {
        if (number == 1) {
            return new TopView(OptionalLong.empty(), flops);
        }
        if (number < 2 || number > apps.size() + 1) {
            return this;
        }
        return new TopView(OptionalLong.of(apps.get(number - 2).pid()), flops);
    }

    /** The tab {@code step} tabs on (negative: back), stopping at the first and the last. */
    TopView move(int step, List<TopFrame.App> apps) {
        int to = Math.max(1, Math.min(apps.size() + 1, tab(apps) + step));
        return select(to, apps);
    }

    /** FLOPS on if off, off if on. */
    TopView toggleFlops() {
        return new TopView(pid, !flops);
    }

    /** This view among {@code apps}: the "all" tab if its process has gone. */
    TopView among(List<TopFrame.App> apps) {
        return select(tab(apps), apps);
    }
}
