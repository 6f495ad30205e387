package dev.nrt4j;

import java.util.concurrent.CompletableFuture;

/**
 * One {@link Model#executeAsync} request: the future handed to the caller, plus which model it belongs
 * to so that closing that model can fail it. It refers to the backend's handle, never to the
 * {@link NeuronRuntime}, so a pending request does not keep a dropped runtime from being cleaned.
 *
 * <p>A request "starts" when its core's worker takes it and finds it not done; from then on, completing
 * it (cancel, deadline, close) only changes what the caller sees, never the device.
 */
final class AsyncRequest extends CompletableFuture<Void> {
    /** The model it executes, as the backend knows it; compared by identity. */
    final Object owner;

    AsyncRequest(Object owner) {
        this.owner = owner;
    }
}
