package dev.exifq.platform;

import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import java.net.URI;
import java.net.URISyntaxException;

/**
 * Answers a request whose URL is not a valid URI (broken percent-encoding, a bare '%', ...) with our JSON 400.
 * Quarkus's root handler would answer it with an empty 400 before any route ran; {@link Main} turns that check
 * off (the {@code vertx.disableURIValidation} system property) so that this route, the first of all, makes the
 * same check and nothing behind it ever sees such a URL.
 */
@ApplicationScoped
public class MalformedUrlGuard {
    static final String MESSAGE = "The request URL is malformed (e.g. a '%' not followed by two hex digits).";

    void install(@Observes Router router) {
        router.route().order(Integer.MIN_VALUE).handler(ctx -> {
            try {
                new URI(ctx.request().uri());
                ctx.next();
            } catch (URISyntaxException e) {
                answer(ctx);
            }
        });
    }

    private static void answer(RoutingContext ctx) {
        ctx.response().setStatusCode(400).putHeader("Content-Type", "application/json")
                .end(new JsonObject().put("ok", false).put("error", "bad_request").put("message", MESSAGE).encode());
    }
}
