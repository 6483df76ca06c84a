package dev.exifq.platform;

import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import java.util.Map;

/**
 * Our own limits on the request line and headers, answered with our JSON. Netty's own limits are set well above
 * these ({@code quarkus.http.limits.max-header-size}, {@code max-initial-line-length}), because Netty answers
 * them with an empty 431 or 414 that no route can change; only a request past those still gets one.
 *
 * <p>A request with {@code Transfer-Encoding} has its connection closed after the answer: if it also carried a
 * {@code Content-Length}, Netty dropped that before any of our code could see it (no hook refuses the pair), and
 * RFC 9112 (6.1) allows reading such a request by its chunks only if the connection is not reused, so that a
 * proxy that went by the length cannot have a smuggled request read after it.
 */
@ApplicationScoped
public class HeaderGuard {
    /** What Netty allowed before its limit was raised (its default 4096 covers the whole request line). */
    static final int MAX_URI = 4096;
    /** Quarkus's default header limit, so no client that worked before is refused now. */
    static final int MAX_HEADERS = 20 * 1024;

    void install(@Observes Router router) {
        router.route().order(Integer.MIN_VALUE + 5).handler(this::check);
    }

    private void check(RoutingContext ctx) {
        HttpServerRequest request = ctx.request();
        if (request.uri().length() > MAX_URI) {
            Refusals.send(ctx, 414, "uri_too_long", "The request URL is longer than " + MAX_URI + " characters.");
            return;
        }
        long size = 0;
        for (Map.Entry<String, String> h : request.headers()) {
            size += h.getKey().length() + h.getValue().length() + 4; // "name: value\r\n"
        }
        if (size > MAX_HEADERS) {
            Refusals.send(ctx, 431, "headers_too_large",
                    "The request headers are larger than " + MAX_HEADERS / 1024 + " KB together.");
            return;
        }
        if (request.version() != HttpVersion.HTTP_2 && request.headers().contains(HttpHeaders.TRANSFER_ENCODING)) {
            ctx.addHeadersEndHandler(v -> ctx.response().putHeader(HttpHeaders.CONNECTION, "close"));
            ctx.addEndHandler(v -> ctx.response().close()); // once the answer is written
        }
        ctx.next();
    }
}
