package dev.exifq.platform;

import io.quarkus.runtime.configuration.MemorySize;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Answers an announced over-size body with our JSON 413 before Vert.x reads it (Vert.x itself would
 * answer a bare 413 with no body).
 */
@ApplicationScoped
public class BodySizeGuard {
    private final long limit;

    public BodySizeGuard(@ConfigProperty(name = "quarkus.http.limits.max-body-size") MemorySize limit) {
        this.limit = limit.asLongValue();
    }

    void install(@Observes Router router) {
        router.route().order(Integer.MIN_VALUE + 10).handler(ctx -> {
            String length = ctx.request().getHeader("Content-Length");
            if (length != null) {
                try {
                    if (Long.parseLong(length.trim()) > limit) {
                        ctx.response().setStatusCode(413).putHeader("Content-Type", "application/json")
                                .putHeader("Connection", "close")
                                .end(new JsonObject().put("ok", false).put("error", "file_too_large")
                                        .put("message", "The request is larger than the 25 MB limit.").encode());
                        return;
                    }
                } catch (NumberFormatException ignored) {
                    // Vert.x rejects a malformed Content-Length itself
                }
            }
            ctx.next();
        });
    }
}
