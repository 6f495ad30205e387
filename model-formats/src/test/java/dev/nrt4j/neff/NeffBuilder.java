package dev.nrt4j.neff;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.GZIPOutputStream;

/**
 * Assembles NEFF files byte by byte from the documented layout: the 1024-byte little-endian header
 * and a tar payload (GNU, POSIX ustar or pax; gzip'd or plain). Every field can be set to a wrong
 * value on purpose. Test helper, shared with other modules' tests through model-formats' test jar;
 * not thread-safe.
 */
public final class NeffBuilder {
    enum Format {
        GNU,
        USTAR,
        PAX
    }

    /** One tar header (and its data); {@code declaredSize} overrides the size field when not null. */
    record Member(String name, byte[] data, char type, Long declaredSize, String linkName) {}

    long pkgVersion = 2;
    long headerSize = 1024;
    Long dataSize;
    long major = 2;
    long minor = 0;
    String buildVersion = "2.0.21884.0%kaena-tools/develop@6c66f4b";
    long numTpb = 1;
    byte[] hash;
    byte[] uuid = hex("c3275f90b87d11ed80b60e6b4183ae7f");
    String name = "file.neff";
    long requestedTpbCount = 1;
    byte[] tpbPerNode = {1};
    long featureBits;
    long lncSize = 1;
    boolean gzip = true;
    Format format = Format.GNU;
    boolean endBlocks = true;
    final List<Member> members = new ArrayList<>();

    /** A NEFF with {@code sg00/def.json} declaring input0 (f32[1]) and output0 (f32[5,10]) and a neff.json graph. */
    public static NeffBuilder minimal() {
        return new NeffBuilder()
                .file(
                        "neff.json",
                        neffJson(new String[] {"input0", "output0"}, new String[] {"[1]", "[5, 10]"}, new String[] {
                            "float32", "float32"
                        }))
                .file(
                        "kelf-0.json",
                        "{\"graphs\":[{\"definition\":\"sg00/def.json\",\"name\":\"sg00\"}],"
                                + "\"version\":\"0.5\",\"target\":\"*\"}")
                .directory("sg00/")
                .file(
                        "sg00/def.json",
                        defJson("input0", "input", 0, 4, "output0", "output", 1, 200, "w", "file", 2, 64))
                .file("sg00/PE.bin", new byte[130]);
    }

    /** Sets the header's {@code name} (the network name; real compilers write the module's). */
    public NeffBuilder name(String networkName) {
        this.name = networkName;
        return this;
    }

    /** Sets {@code neff_build_version}: which compiler build wrote the NEFF. */
    public NeffBuilder buildVersion(String version) {
        this.buildVersion = version;
        return this;
    }

    /** Sets {@code num_tpb} and {@code requested_tpb_count}: the NeuronCores the NEFF needs. */
    public NeffBuilder cores(int count) {
        this.numTpb = count;
        this.requestedTpbCount = count;
        return this;
    }

    /** Sets {@code lnc_size}: the logical NeuronCore size the NEFF is built for. */
    public NeffBuilder lncSize(int lnc) {
        this.lncSize = lnc;
        return this;
    }

    /** Sets the 16-byte {@code uuid} (a real compiler draws one per compilation). */
    public NeffBuilder uuid(byte[] sixteenBytes) {
        if (sixteenBytes.length != 16) {
            throw new IllegalArgumentException("a NEFF uuid has 16 bytes, not " + sixteenBytes.length);
        }
        this.uuid = sixteenBytes.clone();
        return this;
    }

    public NeffBuilder file(String name, String text) {
        return file(name, text.getBytes(StandardCharsets.UTF_8));
    }

    NeffBuilder file(String name, byte[] data) {
        members.add(new Member(name, data, '0', null, null));
        return this;
    }

    public NeffBuilder directory(String name) {
        members.add(new Member(name, new byte[0], '5', null, null));
        return this;
    }

    NeffBuilder member(Member m) {
        members.add(m);
        return this;
    }

    /** {@code sgNN/def.json} text from (name, type, var_id, size) quadruples. */
    public static String defJson(Object... vars) {
        StringBuilder b = new StringBuilder("{\"name\":\"definition\",\"version\":\"0.6-\",\"dma_queue\":{},\"var\":{");
        for (int i = 0; i < vars.length; i += 4) {
            b.append(i == 0 ? "" : ",")
                    .append('"')
                    .append(vars[i])
                    .append("\":{\"type\":\"")
                    .append(vars[i + 1])
                    .append("\",\"var_id\":")
                    .append(vars[i + 2])
                    .append(",\"size\":")
                    .append(vars[i + 3])
                    .append('}');
        }
        return b.append("}}").toString();
    }

    /** A TVM-style neff.json: one {@code "op":"null"} node per name, then a kelf node. */
    public static String neffJson(String[] names, String[] shapes, String[] dtypes) {
        StringBuilder nodes = new StringBuilder();
        StringBuilder rows = new StringBuilder();
        for (int i = 0; i < names.length; i++) {
            nodes.append("{\"op\":\"null\",\"name\":\"").append(names[i]).append("\",\"inputs\":[]},");
            rows.append(i).append(',');
        }
        nodes.append("{\"op\":\"__kelf\",\"name\":\"sg_coreV10\",\"attrs\":{\"kelf\":\"kelf-0.json\"},\"inputs\":[]}");
        rows.append(names.length).append(',').append(names.length + 1);
        return "{\"nodes\":[" + nodes + "],\"arg_nodes\":[0],\"heads\":[],\"node_row_ptr\":[" + rows + "],"
                + "\"attrs\":{\"shape\":[\"list_shape\",[" + String.join(",", shapes) + ",[1]]],"
                + "\"dltype\":[\"list_str\",[\"" + String.join("\",\"", dtypes) + "\",\"uint8\"]]}}";
    }

    byte[] tar() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Member m : members) {
            writeMember(out, m);
        }
        if (endBlocks) {
            out.writeBytes(new byte[1024]);
        }
        return out.toByteArray();
    }

    byte[] payload() {
        byte[] tar = tar();
        return gzip ? gzip(tar) : tar;
    }

    public byte[] build() {
        return build(payload());
    }

    /** Header (computing data_size and the MD5 hash unless set) followed by {@code payload}. */
    byte[] build(byte[] payload) {
        ByteBuffer h = ByteBuffer.allocate(1024).order(ByteOrder.LITTLE_ENDIAN);
        h.putLong(0x000, pkgVersion);
        h.putLong(0x008, headerSize);
        h.putLong(0x010, dataSize != null ? dataSize : payload.length);
        h.putLong(0x018, major);
        h.putLong(0x020, minor);
        h.put(0x028, Arrays.copyOf(buildVersion.getBytes(StandardCharsets.UTF_8), 128));
        h.putInt(0x0A8, (int) numTpb);
        h.put(0x0AC, hash != null ? hash : defaultHash(payload));
        h.put(0x0CC, uuid);
        h.put(0x0DC, Arrays.copyOf(name.getBytes(StandardCharsets.UTF_8), 256));
        h.putInt(0x1DC, (int) requestedTpbCount);
        h.put(0x1E0, Arrays.copyOf(tpbPerNode, 64));
        h.putLong(0x220, featureBits);
        h.putInt(0x228, (int) lncSize);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(h.array());
        out.writeBytes(payload);
        return out.toByteArray();
    }

    /** What the real producer writes: MD5 in bytes 0..15, ASCII '0' in 16..31 (SHA-256 for pkg 1). */
    private byte[] defaultHash(byte[] payload) {
        try {
            if (pkgVersion == 1) {
                return MessageDigest.getInstance("SHA-256").digest(payload);
            }
            byte[] h = new byte[32];
            Arrays.fill(h, (byte) '0');
            System.arraycopy(MessageDigest.getInstance("MD5").digest(payload), 0, h, 0, 16);
            return h;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static byte[] gzip(byte[] data) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream g = new GZIPOutputStream(out)) {
            g.write(data);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private void writeMember(ByteArrayOutputStream out, Member m) {
        byte[] nameBytes = m.name.getBytes(StandardCharsets.UTF_8);
        String headerName = m.name;
        String prefix = "";
        if (nameBytes.length > 100) {
            switch (format) {
                case GNU:
                    byte[] longName = Arrays.copyOf(nameBytes, nameBytes.length + 1);
                    writeMember(out, new Member("././@LongLink", longName, 'L', null, null));
                    headerName = new String(Arrays.copyOf(nameBytes, 100), StandardCharsets.ISO_8859_1);
                    break;
                case PAX:
                    writeMember(out, new Member("PaxHeaders/x", paxRecord("path", m.name), 'x', null, null));
                    headerName = "long";
                    break;
                default:
                    int cut = m.name.lastIndexOf('/', 155);
                    if (cut <= 0 || m.name.length() - cut - 1 > 100) {
                        throw new IllegalArgumentException("name does not fit ustar: " + m.name);
                    }
                    prefix = m.name.substring(0, cut);
                    headerName = m.name.substring(cut + 1);
            }
        }
        out.writeBytes(header(
                headerName,
                prefix,
                m.declaredSize != null ? m.declaredSize : m.data.length,
                m.type,
                m.linkName == null ? "" : m.linkName,
                format));
        out.writeBytes(m.data);
        out.writeBytes(new byte[(512 - m.data.length % 512) % 512]);
    }

    static byte[] paxRecord(String key, String value) {
        byte[] kv = (" " + key + "=" + value + "\n").getBytes(StandardCharsets.UTF_8);
        int len = kv.length;
        while (len != kv.length + Integer.toString(len).length()) {
            len = kv.length + Integer.toString(len).length();
        }
        return (len + new String(kv, StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8);
    }

    /** One 512-byte tar header with a valid checksum; sizes of 8 GiB and more are written in base-256. */
    static byte[] header(String name, String prefix, long size, char type, String linkName, Format format) {
        byte[] b = new byte[512];
        put(b, 0, name.getBytes(StandardCharsets.UTF_8), 100);
        put(b, 100, "0000644\0".getBytes(StandardCharsets.US_ASCII), 8);
        put(b, 108, "0001750\0".getBytes(StandardCharsets.US_ASCII), 8);
        put(b, 116, "0001750\0".getBytes(StandardCharsets.US_ASCII), 8);
        if (size < 0 || size >= 1L << 33) {
            b[124] = (byte) (size < 0 ? 0xff : 0x80);
            for (int i = 0; i < 8; i++) {
                b[135 - i] = (byte) (size >>> (8 * i));
            }
        } else {
            put(b, 124, String.format("%011o\0", size).getBytes(StandardCharsets.US_ASCII), 12);
        }
        put(b, 136, String.format("%011o\0", 1_700_000_000L).getBytes(StandardCharsets.US_ASCII), 12);
        b[156] = (byte) type;
        put(b, 157, linkName.getBytes(StandardCharsets.UTF_8), 100);
        if (format == Format.GNU) {
            put(b, 257, "ustar  \0".getBytes(StandardCharsets.US_ASCII), 8);
        } else {
            put(b, 257, "ustar\0".getBytes(StandardCharsets.US_ASCII), 6);
            put(b, 263, "00".getBytes(StandardCharsets.US_ASCII), 2);
            put(b, 345, prefix.getBytes(StandardCharsets.UTF_8), 155);
        }
        put(b, 265, "nrt4j".getBytes(StandardCharsets.US_ASCII), 32);
        put(b, 297, "nrt4j".getBytes(StandardCharsets.US_ASCII), 32);
        fixChecksum(b);
        return b;
    }

    static void fixChecksum(byte[] b) {
        Arrays.fill(b, 148, 156, (byte) ' ');
        long sum = 0;
        for (byte x : b) {
            sum += x & 0xff;
        }
        put(b, 148, String.format("%06o\0 ", sum).getBytes(StandardCharsets.US_ASCII), 8);
    }

    private static void put(byte[] b, int off, byte[] v, int max) {
        System.arraycopy(v, 0, b, off, Math.min(v.length, max));
    }

    static byte[] hex(String s) {
        byte[] out = new byte[s.length() / 2];
        for (int i = 0; i < out.length; i++) {
            out[i] = (byte) Integer.parseInt(s.substring(2 * i, 2 * i + 2), 16);
        }
        return out;
    }
}
