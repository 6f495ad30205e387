package dev.nrt4j.tools.monitor;

import dev.nrt4j.tools.machine.MachineReading;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * When {@code monitor} reports and which groups each report holds, as neuron-monitor does it: each group
 * is collected when its own period has passed since it was last collected, a report holds the groups due at
 * its time, and nothing is printed between. Group {@code g} with period {@code p} is due at {@code p, 2p,
 * 3p, ...} from the start, so groups do not drift apart; each one's figures cover the time since the reading
 * it was last reported at. Not thread-safe: one monitor loop uses it.
 */
final class MonitorSchedule {
    /** A group of a runtime entry or of the system, and its period. */
    private static final class Slot {
        final long periodMillis;
        long nextMillis;
        MachineReading since;

        Slot(long periodMillis, MachineReading since) {
            this.periodMillis = periodMillis;
            this.nextMillis = periodMillis;
            this.since = since;
        }
    }

    private final MonitorConfig config;
    /** Per runtime entry, its groups' slots by type. */
    private final List<Map<String, Slot>> runtimes = new ArrayList<>();

    private final Map<String, Slot> system = new LinkedHashMap<>();
    /** Reports with no group at all still come, at the root period (they show the instance and hardware). */
    private final Slot heartbeat;

    MonitorSchedule(MonitorConfig config, MachineReading first) {
        this.config = config;
        for (MonitorConfig.RuntimeEntry e : config.runtimes()) {
            Map<String, Slot> slots = new LinkedHashMap<>();
            e.metrics().forEach((type, millis) -> slots.put(type, new Slot(millis, first)));
            runtimes.add(slots);
        }
        config.system().forEach((type, millis) -> system.put(type, new Slot(millis, first)));
        heartbeat = config.periods().isEmpty() ? new Slot(config.periodMillis(), first) : null;
    }

    private List<Slot> slots() {
        List<Slot> all = new ArrayList<>(system.values());
        runtimes.forEach(m -> all.addAll(m.values()));
        if (heartbeat != null) {
            all.add(heartbeat);
        }
        return all;
    }

    /** {@return milliseconds from the start to the next report} */
    long nextMillis() {
        return slots().stream().mapToLong(s -> s.nextMillis).min().orElseThrow();
    }

    /** The groups due at {@link #nextMillis()}; matching runtimes without a group due are listed empty. */
    MonitorReport.Plan plan() {
        long at = nextMillis();
        Map<String, MachineReading> sys = due(system, at);
        return new MonitorReport.Plan() {
            @Override
            public Map<String, MachineReading> runtime(String tag) {
                int entry = config.entryFor(tag);
                return entry < 0 ? null : due(runtimes.get(entry), at);
            }

            @Override
            public Map<String, MachineReading> system() {
                return sys;
            }
        };
    }

    /** Marks the groups due at {@link #nextMillis()} as reported at {@code reading}. */
    void reported(MachineReading reading) {
        long at = nextMillis();
        for (Slot s : slots()) {
            if (s.nextMillis == at) {
                s.since = reading;
                s.nextMillis += s.periodMillis;
            }
        }
    }

    private static Map<String, MachineReading> due(Map<String, Slot> slots, long at) {
        Map<String, MachineReading> out = new HashMap<>();
        slots.forEach((type, s) -> {
            if (s.nextMillis == at) {
                out.put(type, s.since);
            }
        });
        return out;
    }
}
