package dev.nrt4j.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nrt4j.NeuronException;
import dev.nrt4j.Status;
import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

class UninterruptibleWaitTest {
    @Test
    void anInterruptDoesNotEndTheWaitAndIsSetAgainAfterIt() throws Exception {
        CompletableFuture<String> work = new CompletableFuture<>();
        CountDownLatch waiting = new CountDownLatch(1);
        Thread finisher = new Thread(() -> {
            try {
                waiting.await();
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            work.complete("done");
        });
        finisher.start();
        Thread.currentThread().interrupt();
        waiting.countDown();
        try {
            assertThat(UninterruptibleWait.get(work, "test")).isEqualTo("done");
            assertThat(Thread.currentThread().isInterrupted())
                    .as("the interrupt is kept")
                    .isTrue();
        } finally {
            Thread.interrupted();
            finisher.join();
        }
    }

    @Test
    void whatTheWorkThrewComesOutUnchanged() {
        NeuronException thrown = new NeuronException(Status.TIMEOUT, "execute", "too long");
        assertThatThrownBy(() -> UninterruptibleWait.get(CompletableFuture.failedFuture(thrown), "test"))
                .isSameAs(thrown);
        AssertionError error = new AssertionError("boom");
        assertThatThrownBy(() -> UninterruptibleWait.get(CompletableFuture.failedFuture(error), "test"))
                .isSameAs(error);
    }

    @Test
    void aCheckedExceptionIsAFailureNamingTheOperation() {
        IOException cause = new IOException("pipe closed");
        assertThatThrownBy(() -> UninterruptibleWait.get(CompletableFuture.failedFuture(cause), "execute model 'm'"))
                .isInstanceOfSatisfying(NeuronException.class, e -> {
                    assertThat(e.status()).isEqualTo(Status.FAILURE);
                    assertThat(e.getMessage()).contains("execute model 'm'").contains("pipe closed");
                    assertThat(e.getCause()).isSameAs(cause);
                });
    }
}
