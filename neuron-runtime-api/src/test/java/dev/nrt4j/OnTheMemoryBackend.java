package dev.nrt4j;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nrt4j.testbackend.ContractCheck;
import dev.nrt4j.testbackend.MemoryBackend;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Tests of the API's types on the in-memory test backend: each test gets a fresh runtime {@link #rt}, and once
 * that is closed nothing may be left allocated or loaded on {@link #backend}, whatever the test forgot to
 * close, and the API must not have broken the SPI contract ({@link ContractCheck}).
 */
@ExtendWith(ContractCheck.class)
abstract class OnTheMemoryBackend {
    NeuronRuntime rt;
    MemoryBackend backend;

    @BeforeEach
    final void openTheRuntime() {
        rt = TestRuntimes.memory();
        backend = MemoryBackend.of(rt);
    }

    @AfterEach
    final void closeTheRuntimeLeavingNothing() {
        rt.close();
        assertThat(backend.totalUsedBytes()).as("memory left allocated").isZero();
        assertThat(backend.loadedModelCount()).as("models left loaded").isZero();
    }
}
