package dev.nrt4j.server;

import java.nio.ByteBuffer;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Errors Jetty answers itself (a malformed request line, a bad chunk size, headers too large) as the
 * protocol's {@code {"error": "..."}}, not Jetty's HTML page. Thread-safe.
 */
final class JsonErrorHandler extends ErrorHandler {
    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        int status = response.getStatus();
        Object message = request.getAttribute(ERROR_MESSAGE);
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("error", "HTTP " + status + (message != null ? ": " + message : ""));
        byte[] body = StrictJson.MAPPER.writeValueAsBytes(o);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
        response.write(true, ByteBuffer.wrap(body), callback);
        return true;
    }
}
