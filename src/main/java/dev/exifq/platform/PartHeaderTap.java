package dev.exifq.platform;

import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.impl.HttpServerRequestInternal;
import io.vertx.core.http.impl.HttpServerRequestWrapper;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.impl.RoutingContextDecorator;
import io.vertx.ext.web.impl.RoutingContextInternal;

/**
 * Shows the raw bytes of a multipart body to a {@link PartHeaderCheck} on their way to Vert.x's body handler, which
 * is given this context instead of the request's own: its request hands every data handler the bytes through the
 * check first. A malformed part header fails the request with {@link Malformed} (answered 400 by
 * {@link RequestBodyReader}); the bytes after it are dropped.
 */
final class PartHeaderTap extends RoutingContextDecorator {
    private final RoutingContext ctx;
    private final HttpServerRequest request;

    private PartHeaderTap(RoutingContext ctx, PartHeaderCheck check) {
        super(ctx.currentRoute(), (RoutingContextInternal) ctx);
        this.ctx = ctx;
        this.request = new Tapped((HttpServerRequestInternal) ctx.request(), ctx, check);
    }

    /** The context to give the body handler: this tap for a multipart body, else the request's own. */
    static RoutingContext of(RoutingContext ctx) {
        PartHeaderCheck check = PartHeaderCheck.forContentType(ctx.request().getHeader(HttpHeaders.CONTENT_TYPE));
        return check == null ? ctx : new PartHeaderTap(ctx, check);
    }

    @Override
    public HttpServerRequest request() {
        return request;
    }

    // the decorator defers these to a later tick (it is made for sub-routers); the body handler's failure must
    // be seen at once, or its end would still go on to the endpoint
    @Override
    public void next() {
        ctx.next();
    }

    @Override
    public void fail(int statusCode) {
        ctx.fail(statusCode);
    }

    @Override
    public void fail(Throwable throwable) {
        ctx.fail(throwable);
    }

    @Override
    public void fail(int statusCode, Throwable throwable) {
        ctx.fail(statusCode, throwable);
    }

    /** A multipart body whose part headers Netty would have parsed leniently; no stack trace, it is the client's. */
    static final class Malformed extends RuntimeException {
        Malformed(String problem) {
            super(problem, null, false, false);
        }
    }

    private static final class Tapped extends HttpServerRequestWrapper {
        private final RoutingContext ctx;
        private final PartHeaderCheck check;
        private boolean failed;

        Tapped(HttpServerRequestInternal delegate, RoutingContext ctx, PartHeaderCheck check) {
            super(delegate);
            this.ctx = ctx;
            this.check = check;
        }

        @Override
        public HttpServerRequest handler(Handler<Buffer> handler) {
            delegate.handler(handler == null ? null : data -> {
                if (failed) {
                    return;
                }
                String problem = check.feed(data.getByteBuf()); // a view, not a copy
                if (problem == null) {
                    handler.handle(data);
                } else {
                    failed = true;
                    ctx.fail(400, new Malformed(problem));
                }
            });
            return this;
        }
    }
}
