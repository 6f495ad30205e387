package dev.nrt4j.neff;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nrt4j.DType;
import dev.nrt4j.ModelSignature;
import dev.nrt4j.Shape;
import dev.nrt4j.TensorInfo;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

class NeffFileTest {

    @Test
    void headerFieldsRoundTripThroughTheBuilder() {
        NeffBuilder b = NeffBuilder.minimal();
        b.minor = 7;
        b.major = 1;
        b.numTpb = 2;
        b.requestedTpbCount = 3;
        b.tpbPerNode = new byte[] {1, 1};
        b.featureBits = 0x5;
        b.lncSize = 2;
        b.name = "/var/tmp/neuron-compile-cache/neuronxcc-2.20/MODULE_1+d41d8cd9/model.neff";
        byte[] file = b.build();

        NeffHeader h = NeffFile.read(file, "m.neff").header();

        assertThat(h.pkgVersion()).isEqualTo(2);
        assertThat(h.headerSize()).isEqualTo(1024);
        assertThat(h.dataSize()).isEqualTo(file.length - 1024);
        assertThat(h.versionMajor()).isEqualTo(1);
        assertThat(h.versionMinor()).isEqualTo(7);
        assertThat(h.buildVersion()).isEqualTo("2.0.21884.0%kaena-tools/develop@6c66f4b");
        assertThat(h.numTpb()).isEqualTo(2);
        assertThat(h.uuid()).isEqualTo("c3275f90b87d11ed80b60e6b4183ae7f");
        assertThat(h.name()).isEqualTo(b.name);
        assertThat(h.requestedTpbCount()).isEqualTo(3);
        assertThat(h.tpbPerNode()).hasSize(64).startsWith(1, 1, 0);
        assertThat(h.featureBits()).isEqualTo(5);
        assertThat(h.lncSize()).isEqualTo(2);
        assertThat(Arrays.copyOfRange(h.hash(), 16, 32)).containsOnly((byte) '0');
        assertThat(h.toString()).contains("NEFF 1.7", "c3275f90b87d11ed80b60e6b4183ae7f");
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void readsGzipAndPlainPayloads(boolean gzip) {
        NeffBuilder b = NeffBuilder.minimal();
        b.gzip = gzip;
        byte[] file = b.build();
        assertThat(file[1024] == 0x1f && file[1025] == (byte) 0x8b).isEqualTo(gzip);

        NeffFile neff = NeffFile.read(file, "m.neff");

        assertThat(neff.compressed()).isEqualTo(gzip);
        assertThat(neff.hashMatches()).isTrue();
        assertThat(neff.entries())
                .extracting(TarEntry::name)
                .containsExactly("neff.json", "kelf-0.json", "sg00/def.json", "sg00/PE.bin");
        assertThat(neff.entries())
                .filteredOn(e -> e.name().equals("sg00/PE.bin"))
                .extracting(TarEntry::size)
                .containsExactly(130L);
        assertThat(new String(neff.entry("kelf-0.json").orElseThrow(), StandardCharsets.UTF_8))
                .contains("sg00/def.json");
        assertThat(neff.entry("./sg00/PE.bin"))
                .get()
                .satisfies(d -> assertThat(d).hasSize(130));
        assertThat(neff.entry("missing.json")).isEmpty();
        assertThat(neff.signature())
                .isEqualTo(new ModelSignature(
                        java.util.List.of(new TensorInfo("input0", DType.FLOAT32, Shape.of(1), 4)),
                        java.util.List.of(new TensorInfo("output0", DType.FLOAT32, Shape.of(5, 10), 200))));
    }

    @ParameterizedTest
    @EnumSource(NeffBuilder.Format.class)
    void readsEveryTarDialectWithLongNames(NeffBuilder.Format format) {
        NeffBuilder b = NeffBuilder.minimal();
        b.format = format;
        String deep = "debug_info/" + "d".repeat(90) + "/" + "e".repeat(60) + "/trace.json";
        b.file(deep, "{}");

        NeffFile neff = NeffFile.read(b.build(), "m.neff");

        assertThat(neff.entries()).extracting(TarEntry::name).contains(deep);
        assertThat(new String(neff.entry(deep).orElseThrow(), StandardCharsets.UTF_8))
                .isEqualTo("{}");
    }

    @Test
    void signatureHasEveryInputAndOutputInVarIdOrderWithTheirTypesAndShapes() {
        NeffBuilder b = new NeffBuilder()
                .file(
                        "neff.json",
                        NeffBuilder.neffJson(
                                new String[] {"src_tensor", "input1", "output_0", "output1", "mask"},
                                new String[] {"[2, 3]", "[8]", "[4, 4]", "[]", "[16]"},
                                new String[] {"bfloat16", "int64", "float16", "int32", "bool"}))
                .file(
                        "sg00/def.json",
                        NeffBuilder.defJson(
                                "output1",
                                "output",
                                4,
                                4,
                                "input1",
                                "input",
                                1,
                                64,
                                "weights",
                                "file",
                                2,
                                1 << 20,
                                "src_tensor",
                                "input",
                                0,
                                12,
                                "output_0",
                                "output",
                                3,
                                40,
                                "mask",
                                "input",
                                5,
                                16,
                                "scratch",
                                "virtual",
                                6,
                                4096,
                                "undescribed",
                                "output",
                                7,
                                12));

        ModelSignature sig = NeffFile.read(b.build(), "m.neff").signature();

        assertThat(sig.inputs())
                .containsExactly(
                        new TensorInfo("src_tensor", DType.BFLOAT16, Shape.of(2, 3), 12),
                        new TensorInfo("input1", DType.INT64, Shape.of(8), 64),
                        new TensorInfo("mask", DType.PRED, Shape.of(16), 16));
        // output_0 keeps its declared 40 bytes although f16[4,4] needs 32: the runtime's size wins.
        assertThat(sig.outputs())
                .containsExactly(
                        new TensorInfo("output_0", DType.FLOAT16, Shape.of(4, 4), 40),
                        new TensorInfo("output1", DType.INT32, Shape.scalar(), 4),
                        new TensorInfo("undescribed", DType.UINT8, Shape.of(12), 12));
    }

    @Test
    void withoutNeffJsonVariablesAreReportedAsBytes() {
        NeffBuilder b = new NeffBuilder()
                .file("sg00/def.json", NeffBuilder.defJson("input0", "input", 0, 24, "output0", "output", 1, 8));

        ModelSignature sig = NeffFile.read(b.build(), "m.neff").signature();

        assertThat(sig.inputs()).containsExactly(new TensorInfo("input0", DType.UINT8, Shape.of(24), 24));
        assertThat(sig.outputs()).containsExactly(new TensorInfo("output0", DType.UINT8, Shape.of(8), 8));
    }

    @Test
    void twoSubgraphsGiveTheUnionAndAgreeOnSharedNames() {
        NeffBuilder b = new NeffBuilder()
                .file("sg01/def.json", NeffBuilder.defJson("input0", "input", 0, 8, "output1", "output", 1, 4))
                .file("sg00/def.json", NeffBuilder.defJson("input0", "input", 0, 8, "output0", "output", 1, 4));

        ModelSignature sig = NeffFile.read(b.build(), "m.neff").signature();

        assertThat(sig.inputs()).extracting(TensorInfo::name).containsExactly("input0");
        assertThat(sig.outputs()).extracting(TensorInfo::name).containsExactly("output0", "output1");
    }

    @Test
    void pkgVersionOneUsesSha256AndAWrongHashIsReportedNotRefused() {
        NeffBuilder b = NeffBuilder.minimal();
        b.pkgVersion = 1;
        assertThat(NeffFile.read(b.build(), "m.neff").hashMatches()).isTrue();

        NeffBuilder wrong = NeffBuilder.minimal();
        wrong.hash = new byte[32];
        NeffFile neff = NeffFile.read(wrong.build(), "m.neff");
        assertThat(neff.hashMatches()).isFalse();
        assertThat(neff.signature().outputs()).hasSize(1);
    }

    @Test
    void trailingBytesAfterThePayloadAreIgnoredAndNotHashed() {
        NeffBuilder b = NeffBuilder.minimal();
        byte[] file = b.build();
        byte[] longer = Arrays.copyOf(file, file.length + 100);
        Arrays.fill(longer, file.length, longer.length, (byte) 0x1f);

        NeffFile neff = NeffFile.read(longer, "m.neff");

        assertThat(neff.header().dataSize()).isEqualTo(file.length - 1024);
        assertThat(neff.hashMatches()).isTrue();
    }

    @Test
    void readsFromAPathTheSameAsFromBytes(@TempDir Path dir) throws IOException {
        byte[] file = NeffBuilder.minimal().build();
        Path p = dir.resolve("model.neff");
        Files.write(p, file);

        NeffFile fromPath = NeffFile.read(p);
        NeffFile fromBytes = NeffFile.read(file, "x");

        assertThat(fromPath.source()).isEqualTo(p.toString());
        assertThat(fromPath.header()).isEqualTo(fromBytes.header());
        assertThat(fromPath.entries()).isEqualTo(fromBytes.entries());
        assertThat(fromPath.signature()).isEqualTo(fromBytes.signature());
        assertThat(fromPath.hashMatches()).isTrue();
        assertThat(fromPath.toString()).contains("model.neff", "4 members", "output0");
        try (var files = Files.list(dir)) {
            assertThat(files).containsExactly(p);
        }
    }

    @Test
    void membersAboveTheKeepLimitsAreListedButNotKept() {
        NeffBuilder b =
                NeffBuilder.minimal().file("sg00/weights.bin", new byte[5000]).file("sg00/small.bin", new byte[10]);
        NeffLimits limits = NeffLimits.DEFAULT.withKept(4096, 1 << 20);

        NeffFile neff = NeffFile.read(b.build(), "m.neff", limits);

        assertThat(neff.entries()).contains(new TarEntry("sg00/weights.bin", 5000));
        assertThat(neff.entry("sg00/weights.bin")).isEmpty();
        assertThat(neff.entry("sg00/small.bin")).isPresent();
    }

    @Test
    void dotsInsideASegmentAreJustPartOfTheName() {
        NeffFile neff = NeffFile.read(
                NeffBuilder.minimal().file("sg00/x..y/..z/.w", "{}").build(), "m.neff");
        assertThat(neff.entries()).extracting(TarEntry::name).contains("sg00/x..y/..z/.w");
    }

    @Test
    void entryReturnsACopy() {
        NeffFile neff = NeffFile.read(NeffBuilder.minimal().build(), "m.neff");
        neff.entry("sg00/PE.bin").get()[0] = 42;
        assertThat(neff.entry("sg00/PE.bin").get()[0]).isZero();
    }
}
