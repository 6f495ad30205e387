package dev.nrt4j.tools.machine;

import dev.nrt4j.reference.sysfs.SysfsTree;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Junk planted in a simulated machine's state for the monitoring commands to read (issue 12, item 6),
 * for the tests in this package and the command line's integration tests.
 */
public final class MachineJunk {
    /** The instance type the junk is planted in: one device of two physical cores. */
    public static final String INSTANCE = "trn1.2xlarge";

    private MachineJunk() {}

    /** {@return core 0's device memory total, made to hold garbage with an escape sequence} */
    public static Path garbageCounter(SysfsTree tree) throws IOException {
        return Files.writeString(tree.deviceMem(0, 0).resolve("tensors/total"), "zz\u001b[2J\n");
    }

    /** {@return core 1's success counter, replaced by a directory} */
    public static Path directoryCounter(SysfsTree tree) throws IOException {
        Path directory = tree.status(0, 1, "success").resolve("total");
        Files.delete(directory);
        return Files.createDirectory(directory);
    }

    /** {@return core 1's device memory total, made to hold 2^64 - 1} */
    public static Path overflowingCounter(SysfsTree tree) throws IOException {
        return Files.writeString(tree.deviceMem(0, 1).resolve("total"), "18446744073709551615\n");
    }

    /**
     * A forged record with a live pid that once made {@code monitor} print {@code "neuron_device": -2}: a
     * device id past {@code int} and device memory that overflows when added. Its command is {@code forged}.
     *
     * @param records the records directory
     * @param pid a live process of this user
     * @return the record's file, {@code 1-1.json}
     */
    public static Path forgedRecord(Path records, long pid) throws IOException {
        Files.createDirectories(records);
        return Files.writeString(
                records.resolve("1-1.json"),
                "{\"format\":\"nrt4j-runtime-record/1\",\"pid\":" + pid
                        + ",\"command\":\"forged\",\"tag\":\"x\",\"runtime_version\":\"v\",\"instance_type\":\""
                        + INSTANCE + "\",\"lnc\":1,"
                        + "\"updated_ms\":1,\"cores\":[{\"core\":0,\"device\":4294967294,\"physical_cores\":[0]}],\"models\":[],"
                        + "\"device_memory\":{\"0\":{\"tensors\":9223372036854775807},\"1\":{\"tensors\":9223372036854775807}},"
                        + "\"host_memory\":{},\"executions\":{},\"latencies\":[]}");
    }

    /** {@return a record that is not JSON, {@code 2-1.json}} */
    public static Path notJsonRecord(Path records) throws IOException {
        Files.createDirectories(records);
        return Files.writeString(records.resolve("2-1.json"), "{\"format\":");
    }
}
