package dev.nrt4j.tools;

import dev.nrt4j.neff.NeffBuilder;

/** NEFFs that attack the command line's writers (issue 12, item 2), for the tests that run them on the libnrt double. */
final class HostileNeffs {
    /** The name of the output that climbs out of the output directory. */
    static final String TRAVERSAL = "../../x";

    private HostileNeffs() {}

    /**
     * A NEFF of one {@code f32[1]} input whose two outputs, copies of it, are named {@link #TRAVERSAL} and
     * {@code absolute}; a program for the libnrt double, with LNC 0 ("any", as older NEFFs say), so the
     * double loads it at whatever LNC it runs.
     *
     * @param absolute an absolute path, the second output's name
     * @return the NEFF's bytes
     */
    static byte[] traversalAndAbsoluteOutputs(String absolute) {
        // lnc_size 0 ("any LNC", as older NEFFs say), so the double loads it at whatever LNC it runs.
        return new NeffBuilder()
                .lncSize(0)
                .directory("sg00/")
                .file(
                        "sg00/def.json",
                        NeffBuilder.defJson(
                                "input0", "input", 0, 4, TRAVERSAL, "output", 1, 4, absolute, "output", 2, 4))
                .file(
                        "nrt4j.program",
                        "nrt4j-program 2\n%0 = input input0 f32 1\n%1 = copy %0\n%2 = copy %0\n" + "output " + TRAVERSAL
                                + " %1\noutput " + absolute + " %2\n")
                .build();
    }
}
