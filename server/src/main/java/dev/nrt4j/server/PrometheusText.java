package dev.nrt4j.server;

/**
 * What the Prometheus text exposition format (version 0.0.4) asks of a writer, for the two places that write
 * it: the server's {@code /metrics} and {@code nrt4j monitor --prometheus-port}. One home, so that both
 * escape the same way. Stateless and thread-safe.
 */
public final class PrometheusText {
    private PrometheusText() {}

    /**
     * Appends a metric family's {@code # HELP} and {@code # TYPE} lines, which must come before its samples.
     *
     * @param out where the exposition is written; not null
     * @param name the family's metric name
     * @param type {@code counter}, {@code gauge}, {@code histogram}, {@code summary} or {@code untyped}
     * @param help one line saying what it counts; it must hold no backslash or line break
     */
    public static void appendHeader(StringBuilder out, String name, String type, String help) {
        out.append("# HELP ").append(name).append(' ').append(help).append('\n');
        out.append("# TYPE ").append(name).append(' ').append(type).append('\n');
    }

    /**
     * {@code value} as a label value between double quotes must be written: backslash, double quote and line
     * feed escaped, everything else as it is.
     *
     * @param value the label value; not null
     * @return the escaped value, without the quotes
     */
    public static String labelValue(String value) {
        StringBuilder s = new StringBuilder(value.length() + 8);
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '\\':
                    s.append("\\\\");
                    break;
                case '"':
                    s.append("\\\"");
                    break;
                case '\n':
                    s.append("\\n");
                    break;
                default:
                    s.append(c);
            }
        }
        return s.toString();
    }
}
