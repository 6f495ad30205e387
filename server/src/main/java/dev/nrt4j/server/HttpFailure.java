package dev.nrt4j.server;

/**
 * A request the server answers with an error status and a one-line {@code {"error": "..."}} body. Thrown
 * inside the request handling only, never out of the server. Immutable.
 */
final class HttpFailure extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int status;
    private final boolean retryLater;

    HttpFailure(int status, String message) {
        this(status, message, false);
    }

    HttpFailure(int status, String message, boolean retryLater) {
        super(message, null, false, false);
        this.status = status;
        this.retryLater = retryLater;
    }

    /** 503: overloaded or shutting down; the client may try again later (a Retry-After header is sent). */
    static HttpFailure unavailable(String message) {
        return new HttpFailure(503, message, true);
    }

    int status() {
        return status;
    }

    boolean retryLater() {
        return retryLater;
    }
}
