package dev.exifq.platform;

import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;
import io.vertx.ext.web.RoutingContext;

/**
 * Our JSON error, answered from a Vert.x route before RESTEasy runs. When the request's body has not all arrived,
 * the connection is closed once the answer is out, so the rest of it is never read (an over-size chunked upload
 * is cut off at the limit, not swallowed to its end) — unless the client announced a rest of reasonable size:
 * then Vert.x reads and drops it, so that clients which only read after sending everything see the answer.
 */
final class Refusals {
    /** The most of an announced body that is still read (and dropped) after a refusal. */
    private static final long DRAINED = 64L << 20;

    private Refusals() {}

    static void send(RoutingContext ctx, int status, String code, String message) {
        answer(ctx, status, code, message, !drainable(ctx.request()));
    }

    /** Closes the connection after the answer, whatever was announced (a stalled body never comes). */
    static void sendAndClose(RoutingContext ctx, int status, String code, String message) {
        answer(ctx, status, code, message, true);
    }

    private static boolean drainable(HttpServerRequest request) {
        String length = request.getHeader(HttpHeaders.CONTENT_LENGTH);
        try {
            return length != null && Long.parseLong(length.trim()) <= DRAINED;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private static void answer(RoutingContext ctx, int status, String code, String message, boolean cutOff) {
        HttpServerRequest request = ctx.request();
        boolean closeAfter = !request.isEnded() && cutOff;
        if (ctx.response().headWritten()) {
            close(request);
            return;
        }
        if (closeAfter) {
            ctx.response().putHeader(HttpHeaders.CONNECTION, "close");
        }
        ErrorBody.send(ctx.response(), status, code, message).onComplete(written -> {
            if (closeAfter && !request.isEnded()) {
                close(request);
            }
        });
    }

    static boolean hasControlCharacter(String s) {
        if (s == null) return false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c == 0x7f) return true;
        }
        return false;
    }

    private static void close(HttpServerRequest request) {
        if (request.version() == HttpVersion.HTTP_2) {
            request.response().reset(); // the stream, not the connection other streams share
        } else {
            request.connection().close();
        }
    }
}
