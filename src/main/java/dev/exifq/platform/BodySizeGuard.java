package dev.exifq.platform;

import io.quarkus.runtime.configuration.MemorySize;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.util.Locale;

/**
 * Over-size bodies get our JSON 413, however they are sent. Left alone, Vert.x and Quarkus answer a bare 413
 * with no body: at once for an announced Content-Length over the limit, and for a chunked body (no
 * Content-Length) once the bytes read pass it, in the middle of RESTEasy's read, which then also fails to write
 * its own answer and logs an error.
 */
@ApplicationScoped
public class BodySizeGuard {
    /** Where Quarkus's body-limit route leaves the limit for a chunked body; RESTEasy's input stream reads it. */
    static final String QUARKUS_STREAM_LIMIT = "io.quarkus.max-request-size";
    /**
     * For a chunked multipart body, Quarkus's stream limit is moved this far past the multipart parser's own
     * (the same configured size, counted on the bytes it has parsed), so the parser stops first, with an
     * exception our mappers answer; the network count runs at most a few buffers ahead of the parser.
     */
    static final long MULTIPART_STREAM_SLACK = 4L << 20;

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
        // after Quarkus's body-limit route (order -2), which sets the stream limit for chunked bodies
        BodyHandler chunkedBody = BodyHandler.create(false).setBodyLimit(limit);
        router.route().order(-1).handler(ctx -> {
            if (ctx.request().getHeader(HttpHeaders.CONTENT_LENGTH) != null || !hasBody(ctx)) {
                ctx.next();
            } else if (isMultipart(ctx)) {
                ctx.put(QUARKUS_STREAM_LIMIT, limit + MULTIPART_STREAM_SLACK);
                ctx.next();
            } else {
                // JSON and the like are read whole anyway: read them here, where the limit fails this route with
                // a 413 that its failure handler answers, and RESTEasy takes the body from the context
                chunkedBody.handle(ctx);
            }
        }).failureHandler(ctx -> {
            if (ctx.statusCode() == 413 && !ctx.response().headWritten()) {
                tooLarge(ctx);
            } else if (!ctx.response().ended()) {
                ctx.next();
            }
            // else: the 413 is out and its Connection: close cut off the rest of the body, which fails the
            // request a second time; nothing is left to answer, and Quarkus would log it as an error
        });
    }

    /** A body of unannounced length: chunked in HTTP/1.1, DATA frames without a Content-Length in HTTP/2. */
    private static boolean hasBody(RoutingContext ctx) {
        HttpMethod method = ctx.request().method();
        return method == HttpMethod.POST || method == HttpMethod.PUT || method == HttpMethod.PATCH;
    }

    private static boolean isMultipart(RoutingContext ctx) {
        String type = ctx.request().getHeader(HttpHeaders.CONTENT_TYPE);
        return type != null && type.toLowerCase(Locale.ROOT).startsWith("multipart/");
    }

    private static void tooLarge(RoutingContext ctx) {
        ctx.response().putHeader(HttpHeaders.CONNECTION, "close");
        ErrorBody.send(ctx.response(), 413, "file_too_large", "The request is larger than the 25 MB limit.");
    }
}
