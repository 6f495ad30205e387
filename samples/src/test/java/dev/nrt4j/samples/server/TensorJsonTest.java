package dev.nrt4j.samples.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nrt4j.DType;
import dev.nrt4j.HostTensor;
import dev.nrt4j.Shape;
import dev.nrt4j.TensorInfo;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class TensorJsonTest {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private static HostTensor decode(String json, DType type, long... dims) {
        JsonNode node = JSON.readTree(json);
        return TensorJson.decode(node, new TensorInfo("input0", type, Shape.of(dims)), "model 'm' expects input0");
    }

    @Test
    void integersAreRangeCheckedForTheirType() {
        assertThat(decode("{\"dtype\": \"s8\", \"data\": [-128, 127]}", DType.INT8, 2)
                        .toLongArray())
                .containsExactly(-128, 127);
        assertThat(decode("{\"data\": [255, 0]}", DType.UINT8, 2).toLongArray()).containsExactly(255, 0);
        assertThatThrownBy(() -> decode("{\"data\": [128, 0]}", DType.INT8, 2))
                .isInstanceOf(HttpProblem.class)
                .hasMessageContaining("value 0 is 128, not an integer in [-128, 127]");
        assertThatThrownBy(() -> decode("{\"data\": [1.5]}", DType.INT32, 1))
                .isInstanceOf(HttpProblem.class)
                .hasMessageContaining("value 0 is 1.5, not an integer");
    }

    @Test
    void predsAndHalfFloats() {
        assertThat(decode("{\"dtype\": \"bool\", \"data\": [true, false, 1]}", DType.PRED, 3)
                        .toLongArray())
                .containsExactly(1, 0, 1);
        assertThat(decode("{\"dtype\": \"bf16\", \"data\": [[1.5], [-2]]}", DType.BFLOAT16, 2, 1)
                        .toFloatArray())
                .containsExactly(1.5f, -2f);
        assertThat(TensorJson.encode(HostTensor.of(new boolean[] {true, false})).toString())
                .isEqualTo("{\"dtype\":\"pred\",\"shape\":[2],\"data\":[true,false]}");
    }

    @Test
    void unsigned64BitValuesAreWrittenUnsigned() {
        HostTensor t = HostTensor.of(new long[] {-1L}).reinterpret(DType.UINT64);
        assertThat(TensorJson.encode(t).get("data").toString()).isEqualTo("[18446744073709551615]");
    }

    @Test
    void tooManyValuesAndAMissingDataArrayAreNamed() {
        assertThatThrownBy(() -> decode("{\"data\": [1, 2, 3]}", DType.FLOAT32, 2))
                .isInstanceOf(HttpProblem.class)
                .hasMessageContaining("more than the 2 values of shape [2]");
        assertThatThrownBy(() -> decode("{\"shape\": [2]}", DType.FLOAT32, 2))
                .isInstanceOf(HttpProblem.class)
                .hasMessageContaining("input 'input0' has no \"data\" array");
        assertThatThrownBy(() -> decode("{\"shape\": [2, -1], \"data\": []}", DType.FLOAT32, 2))
                .isInstanceOf(HttpProblem.class)
                .hasMessageContaining("dimension 1 is not a non-negative integer");
    }
}
