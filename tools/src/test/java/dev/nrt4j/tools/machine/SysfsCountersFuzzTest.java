package dev.nrt4j.tools.machine;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.nrt4j.device.InstanceCatalog;
import dev.nrt4j.device.driver.CoreCounters;
import dev.nrt4j.device.driver.DriverSysfs;
import dev.nrt4j.device.driver.MemoryCounter;
import dev.nrt4j.device.driver.SysfsLayout;
import dev.nrt4j.reference.sysfs.SysfsTree;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.function.ToLongFunction;
import java.util.stream.Stream;

/**
 * The monitoring commands read counters leniently ({@link DriverSysfs#DriverSysfs(dev.nrt4j.device.driver.SystemRoot,
 * java.util.function.Consumer)}): a counter is a file anyone who can write the tree can replace, so what
 * sits in a counter's place may be any bytes, a file of any size, a directory, or a link to anything. A
 * reference device's tree with a few counter positions so replaced is read as {@link MachineReading#take}
 * reads it (without its {@code /proc} scan, which costs more than the rest): every counter reads from 0 to
 * {@link DriverSysfs#PLAUSIBLE_COUNTER_MAX} ({@code flop_count}: {@link DriverSysfs#FLOP_COUNTER_MAX}), and a
 * replaced one as the number its file holds or as 0 with a
 * warning naming it (an empty file, being written, is 0 without one). Any exception is a finding.
 * {@code DriverSysfsFuzzTest} in device-model covers the strict reader. Without {@code JAZZER_FUZZ} this
 * runs once per committed input.
 */
class SysfsCountersFuzzTest {
    /** One device of two physical cores: every kind of counter position, in a tree that lays out quickly. */
    private static final String INSTANCE = "trn1.2xlarge";
    /** What a link in a counter's place may point at: a device, a directory, a loop, nothing, a file whose size lies. */
    private static final String[] LINK_TARGETS = {
        "/dev/zero", "/dev/null", "/", ".", "missing", "/proc/self/status", "/proc/self/pagemap"
    };

    /** Laid out once: a layout per input would cost more than the reading fuzzed. Each input restores what it replaced. */
    private static final SysfsTree TREE = layOut();

    private static final Map<Path, ToLongFunction<Reading>> POSITIONS = positions(TREE);
    private static final List<Path> FILES = List.copyOf(POSITIONS.keySet());

    @FuzzTest(maxDuration = "10m")
    void anyCounterReadsInRangeOrAsZeroWithAWarning(FuzzedDataProvider data) throws IOException {
        Set<Path> replaced = new HashSet<>();
        Map<Path, byte[]> planted = new HashMap<>();
        try {
            int count = data.consumeInt(1, 4);
            for (int i = 0; i < count; i++) {
                Path f = data.pickValue(FILES);
                planted.remove(f);
                replaced.add(f);
                plant(f, data, planted);
            }
            List<String> warnings = new ArrayList<>();
            Reading reading = Reading.take(new DriverSysfs(TREE.systemRoot(), warnings::add));
            POSITIONS.forEach((file, counter) -> assertThat(counter.applyAsLong(reading))
                    .as("%s", file)
                    .isBetween(
                            0L,
                            file.toString().contains("flop_count")
                                    ? DriverSysfs.FLOP_COUNTER_MAX
                                    : DriverSysfs.PLAUSIBLE_COUNTER_MAX));
            for (Path f : replaced) {
                long v = POSITIONS.get(f).applyAsLong(reading);
                byte[] content = planted.get(f);
                String text = content == null ? null : new String(content, StandardCharsets.UTF_8).strip();
                if (v != 0) {
                    assertThat(text).as("%s read as %d", f, v).isNotNull().matches("0*" + v);
                } else if (text == null || !text.matches("0*")) {
                    // Not an empty or zero counter, so its 0 is a skip, which says which file.
                    assertThat(warnings).as("%s reads as 0", f).anyMatch(w -> w.contains(f.toString()));
                }
            }
            assertThat(warnings)
                    .allMatch(w -> w.startsWith("skipping counter ") && !w.contains("\n") && w.length() < 1024);
        } finally {
            for (Path f : replaced) {
                delete(f);
                Files.deleteIfExists(f.resolveSibling(f.getFileName() + ".target"));
                Files.writeString(f, "0\n");
            }
        }
    }

    /**
     * Puts something in {@code f}'s place; records in {@code planted} the bytes of a regular file written
     * there (anything else reads as 0 and must be warned about).
     */
    private static void plant(Path f, FuzzedDataProvider data, Map<Path, byte[]> planted) throws IOException {
        delete(f); // what is there may be what an earlier step of this input planted, a directory among them
        switch (data.consumeInt(0, 5)) {
            case 0 -> {
                byte[] b = data.consumeBytes(64);
                Files.write(f, b);
                planted.put(f, b);
            }
            case 1 -> {
                String n = data.consumeBoolean()
                        ? Long.toString(data.consumeLong())
                        : Long.toUnsignedString(data.consumeLong());
                byte[] b = (n + (data.consumeBoolean() ? "\n" : "")).getBytes(StandardCharsets.UTF_8);
                Files.write(f, b);
                planted.put(f, b);
            }
            case 2 -> {
                Files.createDirectory(f);
                if (data.consumeBoolean()) {
                    Files.writeString(f.resolve("total"), "7\n");
                }
            }
            case 3 -> {
                // A file larger than any attribute file, holding zeros then a number: must not be read whole.
                try (RandomAccessFile r = new RandomAccessFile(f.toFile(), "rw")) {
                    r.setLength(data.consumeLong(4097, 1L << 32));
                    r.write('1');
                }
            }
            case 4 -> Files.createSymbolicLink(f, Path.of(data.pickValue(LINK_TARGETS)));
            default -> {
                // A link to a regular file elsewhere: read like the file itself.
                byte[] b = data.consumeBytes(24);
                Path target = Files.write(f.resolveSibling(f.getFileName() + ".target"), b);
                Files.createSymbolicLink(f, target);
                planted.put(f, b);
            }
        }
    }

    /** Every counter file of device 0 the reading takes, with where the reading shows it. */
    private static Map<Path, ToLongFunction<Reading>> positions(SysfsTree tree) {
        Map<Path, ToLongFunction<Reading>> out = new LinkedHashMap<>();
        for (int k = 0; k < 2; k++) {
            int core = k;
            Function<Reading, CoreCounters> counters = r -> r.cores().get(core);
            memory(out, tree.deviceMem(0, core), r -> counters.apply(r).deviceMemory());
            for (String c : SysfsLayout.DEVICE_MEM_CATEGORIES) {
                memory(
                        out,
                        SysfsLayout.deviceMem(tree.core(0, core), c),
                        r -> counters.apply(r).deviceMemoryByCategory().get(c));
            }
            memory(out, tree.coreHostMem(0, core), r -> counters.apply(r).hostMemory());
            for (String s : SysfsLayout.STATUS_COUNTERS) {
                out.put(
                        tree.status(0, core, s).resolve("total"),
                        r -> counters.apply(r).status(s));
            }
            for (String o : SysfsLayout.OTHER_INFO) {
                out.put(
                        tree.otherInfo(0, core, o).resolve("total"),
                        r -> counters.apply(r).otherInfo(o));
            }
        }
        for (String c : SysfsLayout.HOST_MEM_CATEGORIES) {
            memory(out, tree.deviceHostMem(0, c), r -> r.hostMemory().get(c));
        }
        for (String h : SysfsLayout.HARDWARE_COUNTERS) {
            out.put(SysfsLayout.hardware(tree.device(0), h), r -> r.hardware().get(h));
        }
        return out;
    }

    private static void memory(Map<Path, ToLongFunction<Reading>> out, Path dir, Function<Reading, MemoryCounter> m) {
        out.put(dir.resolve("total"), r -> m.apply(r).total());
        out.put(dir.resolve("present"), r -> m.apply(r).present());
        out.put(dir.resolve("peak"), r -> m.apply(r).peak());
    }

    /** What the monitoring commands read of device 0's counters ({@link MachineReading#take} reads these and /proc). */
    private record Reading(
            List<CoreCounters> cores, Map<String, MemoryCounter> hostMemory, Map<String, Long> hardware) {
        static Reading take(DriverSysfs sysfs) {
            return new Reading(
                    List.of(sysfs.counters(0, 0), sysfs.counters(0, 1)),
                    sysfs.hostMemory(0),
                    sysfs.hardwareCounters(0));
        }
    }

    private static SysfsTree layOut() {
        try {
            Path state = Files.createTempDirectory("nrt4j-counters-fuzz");
            Runtime.getRuntime().addShutdownHook(new Thread(() -> delete(state)));
            return SysfsTree.ensure(state, InstanceCatalog.byName(INSTANCE));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Deletes {@code p} and, if it is a directory (not a link to one), what is in it. */
    private static void delete(Path p) {
        if (!Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (Stream<Path> s = Files.walk(p)) {
            s.sorted(Comparator.reverseOrder()).forEach(q -> q.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
