package dev.nrt4j.samples.server;

/**
 * A request the server answers with an error status instead of a result: thrown where the problem is
 * found, turned into a JSON error body (naming what was wrong) by {@link InferenceServer}. The
 * message is written for the client, so it says what was expected as well as what was sent.
 */
final class HttpProblem extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int status;
    private final String allow;

    HttpProblem(int status, String message) {
        this(status, message, null);
    }

    private HttpProblem(int status, String message, String allow) {
        // No stack trace: this is an answer to the client, not a fault of the server.
        super(message, null, false, false);
        this.status = status;
        this.allow = allow;
    }

    static HttpProblem badRequest(String message) {
        return new HttpProblem(400, message);
    }

    /** 405; {@code allowed} goes to the {@code Allow} header, as HTTP requires. */
    static HttpProblem methodNotAllowed(String allowed, String method) {
        return new HttpProblem(405, "method " + method + " is not allowed here; use " + allowed, allowed);
    }

    /** The HTTP status code, 4xx or 5xx. */
    int status() {
        return status;
    }

    /** The methods to list in {@code Allow}, or null when the answer is not a 405. */
    String allow() {
        return allow;
    }
}
