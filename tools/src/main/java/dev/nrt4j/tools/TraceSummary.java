package dev.nrt4j.tools;

import dev.nrt4j.NeuronException;
import dev.nrt4j.Status;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.ObjectReadContext;
import tools.jackson.core.json.JsonFactory;

/**
 * The time a Chrome trace-event file spends per event name (on the reference device, per HLO opcode): count
 * and total duration of its complete ({@code "ph":"X"}) events. Read with a streaming parser, so a trace of
 * millions of events needs memory only for the distinct names. Immutable once read.
 */
final class TraceSummary {
    /** The ops shown: one screen. */
    static final int SHOWN = 15;

    /** One name's events. */
    record Op(String name, long count, double totalMicros) {}

    private final List<Op> byTime;
    private final long events;
    private final double totalMicros;

    private TraceSummary(List<Op> byTime, long events, double totalMicros) {
        this.byTime = byTime;
        this.events = events;
        this.totalMicros = totalMicros;
    }

    /**
     * Reads the trace at {@code file}.
     *
     * @throws NeuronException {@link Status#INVALID} when it is not a readable trace-event JSON file
     */
    static TraceSummary read(Path file) {
        Map<String, double[]> ops = new HashMap<>();
        try (JsonParser p = new JsonFactory().createParser(ObjectReadContext.empty(), file)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw notATrace(file, "it is not a JSON object");
            }
            while (p.nextToken() == JsonToken.PROPERTY_NAME) {
                String property = p.currentName();
                p.nextToken();
                if (!property.equals("traceEvents")) {
                    p.skipChildren();
                    continue;
                }
                if (!p.isExpectedStartArrayToken()) {
                    throw notATrace(file, "its traceEvents is not an array");
                }
                while (p.nextToken() == JsonToken.START_OBJECT) {
                    readEvent(p, ops);
                }
            }
        } catch (JacksonException e) {
            throw notATrace(file, e.getOriginalMessage());
        }
        List<Op> list = new ArrayList<>();
        long events = 0;
        double total = 0;
        for (Map.Entry<String, double[]> e : ops.entrySet()) {
            list.add(new Op(e.getKey(), (long) e.getValue()[0], e.getValue()[1]));
            events += (long) e.getValue()[0];
            total += e.getValue()[1];
        }
        list.sort((a, b) -> Double.compare(b.totalMicros(), a.totalMicros()));
        return new TraceSummary(List.copyOf(list), events, total);
    }

    private static void readEvent(JsonParser p, Map<String, double[]> ops) {
        String name = null;
        String phase = null;
        double dur = 0;
        while (p.nextToken() == JsonToken.PROPERTY_NAME) {
            String property = p.currentName();
            JsonToken value = p.nextToken();
            switch (property) {
                case "name":
                    name = p.getValueAsString();
                    break;
                case "ph":
                    phase = p.getValueAsString();
                    break;
                case "dur":
                    dur = value.isNumeric() ? p.getDoubleValue() : 0;
                    break;
                default:
                    p.skipChildren();
            }
        }
        if ("X".equals(phase) && name != null) {
            double[] op = ops.computeIfAbsent(name, n -> new double[2]);
            op[0]++;
            op[1] += dur;
        }
    }

    private static NeuronException notATrace(Path file, String why) {
        return new NeuronException(
                Status.INVALID, "summarise the profile " + file, why + "; is it a Chrome trace-event JSON file?");
    }

    /** {@return every name's events, most total time first} */
    List<Op> byTime() {
        return byTime;
    }

    /** {@return the number of complete events} */
    long events() {
        return events;
    }

    /**
     * Prints the {@link #SHOWN} names with the most time: name, count, total milliseconds and share of all
     * events' time (a nested event, e.g. a loop body's instruction, also counts in its parent's).
     */
    void print(PrintWriter out) {
        TextTable t = new TextTable("OP", "COUNT", "TOTAL MS", "%");
        for (Op op : byTime.subList(0, Math.min(SHOWN, byTime.size()))) {
            t.row(
                    TerminalText.escape(op.name()),
                    op.count(),
                    String.format(Locale.ROOT, "%.3f", op.totalMicros() / 1000),
                    String.format(Locale.ROOT, "%.1f", totalMicros == 0 ? 0 : 100 * op.totalMicros() / totalMicros));
        }
        t.print(out);
        if (byTime.size() > SHOWN) {
            out.println("... and " + (byTime.size() - SHOWN) + " more ops");
        }
    }
}
