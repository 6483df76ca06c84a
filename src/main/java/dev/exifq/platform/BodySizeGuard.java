package dev.exifq.platform;

import io.quarkus.runtime.configuration.MemorySize;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Over-size bodies get our JSON 413, however they are sent. An announced Content-Length over the limit is
 * refused here, before a byte of the body is read (Vert.x would answer a bare 413); a chunked body is counted by
 * {@link RequestBodyReader} as it arrives and cut off at the limit.
 */
@ApplicationScoped
public class BodySizeGuard {
    private final long limit;

    public BodySizeGuard(@ConfigProperty(name = "quarkus.http.limits.max-body-size") MemorySize limit) {
        this.limit = limit.asLongValue();
    }

    void install(@Observes Router router) {
        router.route().order(Integer.MIN_VALUE + 10).handler(ctx -> {
            String length = ctx.request().getHeader(HttpHeaders.CONTENT_LENGTH);
            if (length != null) {
                try {
                    if (Long.parseLong(length.trim()) > limit) {
                        tooLarge(ctx);
                        return;
                    }
                } catch (NumberFormatException ignored) {
                    // Vert.x rejects a malformed Content-Length itself
                }
            }
            ctx.next();
        });
    }

    static void tooLarge(RoutingContext ctx) {
        Refusals.send(ctx, 413, "file_too_large", "The request is larger than the 25 MB limit.");
    }
}
