package dev.exifq.platform;

import io.vertx.core.http.HttpServerRequest;

/**
 * The address per-client limits key on. {@code remoteAddress()} is the connection's peer, or, when the peer is one
 * of the trusted proxies ({@code exifq.http.trusted-proxies}, see {@link TrustedProxiesConfigSourceFactory}), the
 * client its {@code X-Forwarded-For}/{@code Forwarded} header names: Quarkus wraps the request for that. Headers
 * from anybody else change nothing.
 */
public final class ClientAddress {
    private ClientAddress() {}

    /** The client's address, or null when unknown (no request, or a connection over a domain socket). */
    public static String of(HttpServerRequest http) {
        return http == null || http.remoteAddress() == null ? null : http.remoteAddress().hostAddress();
    }
}
