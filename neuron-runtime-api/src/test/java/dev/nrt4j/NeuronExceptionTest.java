package dev.nrt4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.io.IOException;
import org.junit.jupiter.api.Test;

class NeuronExceptionTest {

    @Test
    void messageNamesOperationStatusAndDetail() {
        NeuronException e =
                new NeuronException(Status.TIMEOUT, "nrt_execute", "ran past 30 s; raise NEURON_RT_EXEC_TIMEOUT");
        assertThat(e).hasMessage("nrt_execute failed [TIMEOUT]: ran past 30 s; raise NEURON_RT_EXEC_TIMEOUT");
        assertThat(e.status()).isSameAs(Status.TIMEOUT);
        assertThat(e.rawCode()).isEqualTo(5);
        assertThat(e.operation()).isEqualTo("nrt_execute");
        assertThat(e).isInstanceOf(RuntimeException.class).hasNoCause();
    }

    @Test
    void keepsTheCause() {
        IOException cause = new IOException("disk");
        NeuronException e = new NeuronException(Status.INVALID, "read model.neff", "truncated", cause);
        assertThat(e).hasCause(cause).hasMessage("read model.neff failed [INVALID]: truncated");
    }

    @Test
    void aKnownNativeCodeMapsToItsStatus() {
        NeuronException e = NeuronException.fromCode(1005, "nrt_execute", "core 0 is owned by pid 77");
        assertThat(e.status()).isSameAs(Status.EXEC_NC_BUSY);
        assertThat(e.rawCode()).isEqualTo(1005);
        assertThat(e).hasMessage("nrt_execute failed [EXEC_NC_BUSY]: core 0 is owned by pid 77");
    }

    @Test
    void anUnknownNativeCodeIsKeptAndShownInTheMessage() {
        // libnrt appends codes over time; the number is what lets a user look a new one up.
        NeuronException e = NeuronException.fromCode(1207, "nrt_load", "no detail");
        assertThat(e.status()).isSameAs(Status.UNKNOWN);
        assertThat(e.rawCode()).isEqualTo(1207);
        assertThat(e).hasMessage("nrt_load failed [UNKNOWN(1207)]: no detail");
    }

    @Test
    void successIsNotAFault() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new NeuronException(Status.SUCCESS, "nrt_init", "fine"))
                .withMessageContaining("SUCCESS");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> NeuronException.fromCode(0, "nrt_init", "fine"))
                .withMessageContaining("SUCCESS");
    }
}
