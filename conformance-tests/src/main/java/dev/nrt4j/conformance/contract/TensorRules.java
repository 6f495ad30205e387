package dev.nrt4j.conformance.contract;

import dev.nrt4j.NeuronRuntime;
import dev.nrt4j.Status;
import dev.nrt4j.Tensor;
import dev.nrt4j.TensorPlacement;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;

/** Tensors: allocation, bounds-checked reads, writes and copies, placement and closing. */
final class TensorRules {
    private TensorRules() {}

    private static byte[] pattern(int n, int seed) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) (i * 31 + seed);
        }
        return b;
    }

    static List<Rule> all() {
        String area = "tensors";
        return List.of(
                new Rule(area, "a_new_device_tensor_is_zeroed", ctx -> {
                    try (NeuronRuntime rt = ctx.open();
                            Tensor t = rt.allocate("zeroed", 4096, 0)) {
                        Expect.zeros(t.readBytes());
                        Expect.equal(t.size(), 4096);
                    }
                }),
                new Rule(area, "what_is_written_is_read_back", ctx -> {
                    try (NeuronRuntime rt = ctx.open();
                            Tensor t = rt.allocate("data", 1000, 0)) {
                        byte[] data = pattern(1000, 7);
                        t.write(data);
                        Expect.equal(t.readBytes(), data);
                    }
                }),
                new Rule(area, "a_write_at_an_offset_changes_only_that_range", ctx -> {
                    try (NeuronRuntime rt = ctx.open();
                            Tensor t = rt.allocate("data", 64, 0)) {
                        t.write(16, ByteBuffer.wrap(pattern(8, 3)));
                        byte[] expected = new byte[64];
                        System.arraycopy(pattern(8, 3), 0, expected, 16, 8);
                        Expect.equal(t.readBytes(), expected);
                    }
                }),
                new Rule(area, "a_read_past_the_end_is_invalid", ctx -> {
                    try (NeuronRuntime rt = ctx.open();
                            Tensor t = rt.allocate("small", 16, 0)) {
                        Expect.status(Status.INVALID, () -> t.read(8, ByteBuffer.allocate(9)));
                    }
                }),
                new Rule(area, "a_write_past_the_end_is_invalid_and_changes_nothing", ctx -> {
                    try (NeuronRuntime rt = ctx.open();
                            Tensor t = rt.allocate("small", 16, 0)) {
                        Expect.status(Status.INVALID, () -> t.write(12, ByteBuffer.wrap(pattern(8, 1))));
                        Expect.zeros(t.readBytes());
                    }
                }),
                new Rule(area, "a_negative_offset_is_an_illegal_argument", ctx -> {
                    try (NeuronRuntime rt = ctx.open();
                            Tensor t = rt.allocate("small", 16, 0)) {
                        Expect.illegalArgument("read at offset -1", () -> t.read(-1, ByteBuffer.allocate(1)));
                        Expect.illegalArgument("write at offset -4", () -> t.write(-4, ByteBuffer.allocate(1)));
                    }
                }),
                new Rule(area, "a_negative_size_is_an_illegal_argument", ctx -> {
                    try (NeuronRuntime rt = ctx.open()) {
                        Expect.illegalArgument("allocate -1 bytes on core 0", () -> rt.allocate("negative", -1, 0));
                        Expect.illegalArgument("allocate -1 bytes on the host", () -> rt.allocateHost("negative", -1));
                        if (!rt.openResources().isEmpty()) {
                            throw new AssertionError("a refused allocation left " + rt.openResources() + " open");
                        }
                    }
                }),
                new Rule(area, "a_core_the_runtime_does_not_have_is_invalid", ctx -> {
                    try (NeuronRuntime rt = ctx.open()) {
                        Expect.status(
                                Status.INVALID,
                                () -> rt.allocate("nowhere", 16, rt.cores().size()));
                        Expect.status(Status.INVALID, () -> rt.allocate("nowhere", 16, -1));
                    }
                }),
                new Rule(area, "tensors_say_where_they_live", ctx -> {
                    try (NeuronRuntime rt = ctx.open();
                            Tensor d = rt.allocate("device", 16, rt.cores().size() - 1);
                            Tensor h = rt.allocateHost("host", 16)) {
                        Expect.equal(d.placement(), TensorPlacement.DEVICE);
                        Expect.equal(d.core(), rt.cores().size() - 1);
                        Expect.equal(h.placement(), TensorPlacement.HOST);
                    }
                }),
                new Rule(area, "a_host_tensor_holds_data_like_a_device_tensor", ctx -> {
                    try (NeuronRuntime rt = ctx.open();
                            Tensor h = rt.allocateHost("host", 300)) {
                        Expect.zeros(h.readBytes());
                        h.write(pattern(300, 9));
                        Expect.equal(h.readBytes(), pattern(300, 9));
                    }
                }),
                new Rule(area, "copy_moves_the_bytes_between_tensors", ctx -> {
                    try (NeuronRuntime rt = ctx.open();
                            Tensor a = rt.allocate("a", 128, 0);
                            Tensor b = rt.allocate("b", 128, 0)) {
                        a.write(pattern(128, 5));
                        a.copyTo(b);
                        Expect.equal(b.readBytes(), pattern(128, 5));
                    }
                }),
                new Rule(area, "a_copy_outside_either_tensor_is_invalid", ctx -> {
                    try (NeuronRuntime rt = ctx.open();
                            Tensor a = rt.allocate("a", 32, 0);
                            Tensor b = rt.allocate("b", 16, 0)) {
                        Expect.status(Status.INVALID, () -> a.copyTo(0, b, 8, 16));
                        Expect.status(Status.INVALID, () -> a.copyTo(24, b, 0, 16));
                        Expect.status(Status.INVALID, () -> a.copyTo(b));
                    }
                }),
                new Rule(area, "fill_sets_exactly_the_range", ctx -> {
                    try (NeuronRuntime rt = ctx.open();
                            Tensor t = rt.allocate("f", 32, 0)) {
                        t.fill(8, 8, (byte) 0x5a);
                        byte[] expected = new byte[32];
                        Arrays.fill(expected, 8, 16, (byte) 0x5a);
                        Expect.equal(t.readBytes(), expected);
                    }
                }),
                new Rule(area, "a_closed_tensor_refuses_use_and_closing_twice_is_harmless", ctx -> {
                    try (NeuronRuntime rt = ctx.open()) {
                        Tensor t = rt.allocate("gone", 16, 0);
                        t.close();
                        t.close();
                        Expect.isFalse(t.isOpen(), "isOpen() of the tensor closed twice");
                        Expect.closed(t::readBytes);
                        Expect.closed(() -> t.write(new byte[1]));
                        Expect.empty(rt.openResources());
                    }
                }),
                new Rule(area, "tensors_are_independent", ctx -> {
                    try (NeuronRuntime rt = ctx.open();
                            Tensor a = rt.allocate("a", 64, 0);
                            Tensor b = rt.allocate("b", 64, 0)) {
                        a.write(pattern(64, 1));
                        Expect.zeros(b.readBytes());
                    }
                }));
    }
}
