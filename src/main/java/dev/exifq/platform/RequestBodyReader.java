package dev.exifq.platform;

import io.netty.handler.codec.http.multipart.HttpPostRequestDecoder;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.FileUpload;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Reads every request body whole on the event loop, before any endpoint runs: JSON and other bodies into memory,
 * multipart forms with their files streamed to disk (Vert.x's parser, whose form RESTEasy then takes as parsed).
 * Left to RESTEasy, a body larger than its 10 KB input buffer, any chunked body, and every multipart form is
 * read on a worker thread that blocks on the network, so a few hundred stalled or slow clients take the whole
 * worker pool; here they cost a connection each. A body that makes no progress for
 * {@code exifq.http.body-idle-timeout} is answered 408, and at most {@code exifq.http.max-pending-bodies} bodies
 * may be arriving at once (more get 503). An answer given before the body has all arrived closes the connection,
 * so the rest of it is never read.
 */
@ApplicationScoped
public class RequestBodyReader {
    private static final Logger LOG = Logger.getLogger(RequestBodyReader.class);
    private static final String WATCH = RequestBodyReader.class.getName() + ".watch";
    private static final String NETTY_MULTIPART = "io.netty.handler.codec.http.multipart.";

    private final BodySizeGuard sizes;
    private final long idleMillis;
    private final int maxPending;
    private final String uploadsDirectory;
    private final AtomicInteger pending = new AtomicInteger();
    private final AtomicInteger pendingBulk = new AtomicInteger();
    private final int maxPendingBulk;
    private final LargeBodyAdmission admission;

    public RequestBodyReader(BodySizeGuard sizes, LargeBodyAdmission admission,
                             @ConfigProperty(name = "exifq.http.body-idle-timeout", defaultValue = "10s") Duration idle,
                             @ConfigProperty(name = "exifq.http.max-pending-bodies", defaultValue = "2000") int maxPending,
                             @ConfigProperty(name = "exifq.http.max-pending-bulk-bodies", defaultValue = "8") int maxPendingBulk,
                             @ConfigProperty(name = "quarkus.http.body.uploads-directory") String uploadsDirectory) {
        this.sizes = sizes;
        this.admission = admission;
        this.maxPendingBulk = maxPendingBulk;
        this.idleMillis = idle.toMillis();
        this.maxPending = maxPending;
        this.uploadsDirectory = uploadsDirectory;
    }

    void install(@Observes Router router) {
        BodyHandler bodies = bodyHandler(sizes.limit());
        BodyHandler bulkBodies = bodyHandler(sizes.bulkLimit());
        // after Quarkus's body-limit route (order -2), before RESTEasy
        router.route().order(-1).handler(ctx -> {
            if (!hasBody(ctx.request())) {
                ctx.next();
            } else if (isForm(ctx.request()) && !FORM_METHODS.contains(ctx.request().method())) {
                // Vert.x decodes forms only for these methods and throws (a 500) on any other
                Refusals.send(ctx, 400, "invalid_request",
                        "A " + ctx.request().method() + " request cannot carry a form body.");
            } else if (pending.incrementAndGet() > maxPending) {
                pending.decrementAndGet();
                Refusals.send(ctx, 503, "server_busy", "Too many requests are sending their bodies right now; retry.");
            } else if (sizes.isBulk(ctx)) {
                readBulk(ctx, bulkBodies);
            } else {
                ctx.put(WATCH, new Watch(ctx, false));
                bodies.handle(PartHeaderTap.of(ctx));
            }
        }).failureHandler(this::failed);
        // the body handler's next(): the body is complete
        router.route().order(-1).handler(ctx -> {
            if (ctx.response().ended()) {
                return; // refused while its parts were still being written: the answer is out
            }
            Watch watch = ctx.get(WATCH);
            if (watch != null) {
                watch.finish();
                if (ctx.body().buffer() == null && ctx.fileUploads().isEmpty()) {
                    // an empty body leaves none: RESTEasy would wait on the network for it
                    ((io.vertx.ext.web.impl.RoutingContextInternal) ctx).setBody(io.vertx.core.buffer.Buffer.buffer());
                }
                if (isMultipart(ctx.request())) {
                    LeakedCarriageReturns.repair(ctx.request().formAttributes());
                }
                if (hasControlCharacters(ctx)) {
                    Refusals.send(ctx, 400, "invalid_multipart", "A part's name or filename contains a control character.");
                    return;
                }
                if (isJson(ctx) && JsonBodies.hasTrailingContent(ctx.body().buffer().getBytes())) {
                    Refusals.send(ctx, 400, "invalid_json", "The request body has text after its JSON value.");
                    return;
                }
            }
            ctx.next();
        });
    }

    /**
     * A bulk body may be hundreds of megabytes on disk: only a caller with valid credentials may send one (checked
     * on a worker before a byte of it is read, the request paused meanwhile), and only a few at once per node.
     */
    private void readBulk(RoutingContext ctx, BodyHandler bulkBodies) {
        if (pendingBulk.incrementAndGet() > maxPendingBulk) {
            pendingBulk.decrementAndGet();
            pending.decrementAndGet();
            Refusals.sendAndClose(ctx, 503, "server_busy", "Too many bulk uploads are arriving right now; retry.");
            return;
        }
        ctx.request().pause();
        ctx.vertx().executeBlocking(() -> admission.admits(ctx.request()), false).onComplete(checked -> {
            if (checked.succeeded() && checked.result()) {
                ctx.put(WATCH, new Watch(ctx, true));
                bulkBodies.handle(PartHeaderTap.of(ctx));
                return;
            }
            pendingBulk.decrementAndGet();
            pending.decrementAndGet();
            if (checked.failed()) {
                LOG.warnf("Could not check the credentials of a bulk upload: %s", checked.cause().toString());
                Refusals.sendAndClose(ctx, 503, "server_busy", "The upload could not be accepted right now; retry.");
            } else {
                Refusals.sendAndClose(ctx, 401, "unauthorized",
                        "Sign in, or send your API key as 'Authorization: Bearer <key>', to upload several files.");
            }
        });
    }

    private BodyHandler bodyHandler(long limit) {
        return BodyHandler.create(uploadsDirectory).setBodyLimit(limit)
                .setDeleteUploadedFilesOnEnd(true).setMergeFormAttributes(true);
    }

    /** A body comes when the request announces one: a Content-Length above zero, or chunked. */
    private static final java.util.Set<io.vertx.core.http.HttpMethod> FORM_METHODS = java.util.Set.of(
            io.vertx.core.http.HttpMethod.POST, io.vertx.core.http.HttpMethod.PUT, io.vertx.core.http.HttpMethod.PATCH,
            io.vertx.core.http.HttpMethod.DELETE);

    private static boolean isForm(HttpServerRequest request) {
        String type = request.getHeader(HttpHeaders.CONTENT_TYPE);
        if (type == null) return false;
        String t = type.toLowerCase(java.util.Locale.ROOT);
        return t.startsWith("multipart/") || t.startsWith("application/x-www-form-urlencoded");
    }

    private static boolean isMultipart(HttpServerRequest request) {
        String type = request.getHeader(HttpHeaders.CONTENT_TYPE);
        return type != null && type.toLowerCase(java.util.Locale.ROOT).startsWith("multipart/");
    }

    private static boolean hasBody(HttpServerRequest request) {
        String length = request.getHeader(HttpHeaders.CONTENT_LENGTH);
        if (length != null) {
            return !length.trim().equals("0");
        }
        return request.getHeader(HttpHeaders.TRANSFER_ENCODING) != null
                || (request.version() == io.vertx.core.http.HttpVersion.HTTP_2 && !request.isEnded());
    }

    private void failed(RoutingContext ctx) {
        Watch watch = ctx.get(WATCH);
        if (watch != null && ctx.failure() instanceof io.vertx.core.http.HttpClosedException) {
            watch.finish(); // the client went away mid-body: nobody to answer, nothing to log
            return;
        }
        Throwable decoding = ctx.failure() instanceof PartHeaderTap.Malformed
                ? ctx.failure() : multipartDecoding(ctx.failure());
        if (watch == null || (ctx.statusCode() != 413 && decoding == null) || ctx.response().ended()) {
            // not a failure to read the body, or an answer already out (a refused body fails a second time when
            // its connection closes): not ours
            if (!ctx.response().ended()) {
                ctx.next();
            }
            return;
        }
        watch.finish();
        LOG.debugf("Refused a request body: %s %s", ctx.statusCode(), decoding);
        if (ctx.statusCode() == 413) {
            sizes.tooLarge(ctx);
        } else if (decoding instanceof PartHeaderTap.Malformed) {
            Refusals.send(ctx, 400, "invalid_multipart",
                    "The multipart/form-data body is malformed: " + decoding.getMessage() + ".");
        } else if (decoding instanceof HttpPostRequestDecoder.TooManyFormFieldsException) {
            Refusals.send(ctx, 400, "too_many_parts", "The form has too many parts.");
        } else if (isFieldSizeCheck(decoding)) {
            // a field's value over quarkus.http.limits.max-form-attribute-size
            Refusals.send(ctx, 413, "field_too_large", "A form field (a part without a filename) is longer than "
                    + "the 2 KB limit; send a file as a part with a filename.");
        } else {
            Refusals.send(ctx, 400, "invalid_multipart", "The multipart/form-data body is malformed: a part's "
                    + "header is not 'Name: value', or is too long.");
        }
    }

    /** The exception by which Netty's multipart decoder (Vert.x parses multipart with it) refused the body. */
    private static Throwable multipartDecoding(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            StackTraceElement[] frames = t.getStackTrace();
            if (t.getClass().getName().startsWith(NETTY_MULTIPART)
                    || (frames.length > 0 && frames[0].getClassName().startsWith(NETTY_MULTIPART))) {
                return t;
            }
        }
        return null;
    }

    private static boolean isFieldSizeCheck(Throwable t) {
        StackTraceElement[] frames = t.getStackTrace();
        return t instanceof java.io.IOException && frames.length > 0 && frames[0].getMethodName().equals("checkSize");
    }

    private static boolean isJson(RoutingContext ctx) {
        String type = ctx.request().getHeader(HttpHeaders.CONTENT_TYPE);
        if (type == null || ctx.body().buffer() == null) return false;
        String mime = type.split(";", 2)[0].trim().toLowerCase(java.util.Locale.ROOT);
        return mime.equals("application/json") || mime.endsWith("+json");
    }

    private static boolean hasControlCharacters(RoutingContext ctx) {
        for (FileUpload upload : ctx.fileUploads()) {
            if (Refusals.hasControlCharacter(upload.name()) || Refusals.hasControlCharacter(upload.fileName())) {
                return true;
            }
        }
        return false;
    }

    /** Counts the body as pending until it is complete, and answers 408 when it stops arriving. */
    private final class Watch {
        private final RoutingContext ctx;
        private final boolean bulk;
        private final AtomicBoolean finished = new AtomicBoolean();
        private final long timer;
        private long bytesRead = -1;
        private long endedAt;
        private long lastProgress = System.nanoTime();

        Watch(RoutingContext ctx, boolean bulk) {
            this.ctx = ctx;
            this.bulk = bulk;
            this.timer = ctx.vertx().setPeriodic(Math.max(100, Math.min(1000, idleMillis / 4)), id -> check());
            ctx.addEndHandler(v -> finish());
        }

        private void check() {
            HttpServerRequest request = ctx.request();
            if (finished.get() || ctx.response().ended()) {
                finish();
                return;
            }
            if (request.isEnded()) {
                // all bytes are in, yet the parser has not finished: either a multipart body that ends inside a
                // part (Vert.x would wait for that part forever) or file parts still being written to disk on a
                // busy machine. Only the idle timeout tells them apart: two ticks refused complete uploads under
                // load (found by scripts/soak: 16 of 1,479 requests), so a truncated body costs the idle time.
                if (endedAt == 0) {
                    endedAt = System.nanoTime();
                } else if (Duration.ofNanos(System.nanoTime() - endedAt).toMillis() >= idleMillis) {
                    finish();
                    Refusals.send(ctx, 400, "invalid_multipart", "The body ends before its closing boundary.");
                }
                return;
            }
            long read = request.bytesRead();
            long now = System.nanoTime();
            if (read != bytesRead) {
                bytesRead = read;
                lastProgress = now;
            } else if (Duration.ofNanos(now - lastProgress).toMillis() >= idleMillis) {
                finish();
                LOG.debugf("Request body idle for %d ms: %s %s", idleMillis, request.method(), request.path());
                Refusals.sendAndClose(ctx, 408, "request_timeout",
                        "The request body stopped arriving for " + idleMillis / 1000 + " s.");
            }
        }

        void finish() {
            if (finished.compareAndSet(false, true)) {
                ctx.vertx().cancelTimer(timer);
                pending.decrementAndGet();
                if (bulk) {
                    pendingBulk.decrementAndGet();
                }
            }
        }
    }
}
