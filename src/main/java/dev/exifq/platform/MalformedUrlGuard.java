package dev.exifq.platform;

import io.vertx.ext.web.Router;
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
    private static final String MESSAGE = "The request URL is malformed (e.g. a '%' not followed by two hex digits).";

    void install(@Observes Router router) {
        router.route().order(Integer.MIN_VALUE).handler(ctx -> {
            try {
                new URI(ctx.request().uri());
                ctx.next();
            } catch (URISyntaxException e) {
                ErrorBody.send(ctx.response(), 400, "bad_request", MESSAGE);
            }
        });
    }
}
