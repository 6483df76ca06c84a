package dev.exifq.web;

import io.vertx.core.MultiMap;
import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Security headers on every answer but Quarkus's own /q/ tools (Swagger UI runs inline scripts): pages, static
 * files and the JSON and HTML answers of the API alike. The policy allows no inline script or style and nothing
 * from another origin; {@code blob:} and {@code data:} images are the dashboard's thumbnails of local files.
 */
@ApplicationScoped
public class SecurityHeaders {
    static final String CONTENT_SECURITY_POLICY = "default-src 'self'; script-src 'self'; style-src 'self'; "
            + "img-src 'self' blob: data:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; "
            + "form-action 'self'";

    void install(@Observes Router router) {
        // before the body guards, so their refusals carry the headers too
        router.route().order(Integer.MIN_VALUE + 5).handler(ctx -> {
            String path = ctx.normalizedPath();
            if (path == null || !path.startsWith("/q/")) {
                ctx.addHeadersEndHandler(v -> add(ctx.response().headers()));
            }
            ctx.next();
        });
    }

    static void add(MultiMap headers) {
        if (!headers.contains("Content-Security-Policy")) {
            headers.set("Content-Security-Policy", CONTENT_SECURITY_POLICY);
        }
        headers.set("X-Content-Type-Options", "nosniff");
        headers.set("X-Frame-Options", "DENY");
        headers.set("Referrer-Policy", "same-origin");
    }
}
