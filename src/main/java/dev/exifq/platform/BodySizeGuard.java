package dev.exifq.platform;

import io.quarkus.runtime.configuration.MemorySize;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Over-size bodies get our JSON 413, however they are sent. An announced Content-Length over the limit is
 * refused here, before a byte of the body is read (Vert.x would answer a bare 413); a chunked body is counted by
 * {@link RequestBodyReader} as it arrives and cut off at the limit. The limit is {@code exifq.http.max-body-size}
 * (one 25 MB file and the form around it), or {@code exifq.http.bulk-max-body-size} on the paths in
 * {@code exifq.http.bulk-paths} (several such files); {@code quarkus.http.limits.max-body-size} must be at least
 * the larger one, as Quarkus refuses bigger bodies itself.
 */
@ApplicationScoped
public class BodySizeGuard {
    private final long limit;
    private final long bulkLimit;
    private final Set<String> bulkPaths;

    public BodySizeGuard(@ConfigProperty(name = "exifq.http.max-body-size", defaultValue = "27M") MemorySize limit,
                         @ConfigProperty(name = "exifq.http.bulk-max-body-size", defaultValue = "27M") MemorySize bulkLimit,
                         @ConfigProperty(name = "exifq.http.bulk-paths") Optional<List<String>> bulkPaths) {
        this.limit = limit.asLongValue();
        this.bulkLimit = bulkLimit.asLongValue();
        this.bulkPaths = Set.copyOf(bulkPaths.orElse(List.of()));
    }

    long limit() {
        return limit;
    }

    long bulkLimit() {
        return bulkLimit;
    }

    /** The body limit of this request. */
    long limitFor(RoutingContext ctx) {
        return isBulk(ctx) ? bulkLimit : limit;
    }

    /** A multipart form to a bulk path: only these may be large (other bodies are read into memory). */
    boolean isBulk(RoutingContext ctx) {
        String type = ctx.request().getHeader(HttpHeaders.CONTENT_TYPE);
        return bulkPaths.contains(ctx.normalizedPath()) && type != null
                && type.toLowerCase(java.util.Locale.ROOT).startsWith("multipart/form-data");
    }

    void install(@Observes Router router) {
        router.route().order(Integer.MIN_VALUE + 10).handler(ctx -> {
            String length = ctx.request().getHeader(HttpHeaders.CONTENT_LENGTH);
            if (length != null) {
                try {
                    if (Long.parseLong(length.trim()) > limitFor(ctx)) {
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

    void tooLarge(RoutingContext ctx) {
        Refusals.send(ctx, 413, "file_too_large", isBulk(ctx)
                ? "The request is larger than the " + bulkLimit / (1024 * 1024) + " MB limit of a bulk request."
                : "The request is larger than the 25 MB limit.");
    }
}
