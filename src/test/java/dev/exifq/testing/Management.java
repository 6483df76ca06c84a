package dev.exifq.testing;

import java.net.URL;

/** The management port (health, metrics), as {@code @TestHTTPResource(value = "/", management = true)} injects it. */
public final class Management {
    private Management() {}

    /** A path on the management port, e.g. {@code /q/health/ready}. */
    public static String url(URL management, String path) {
        return "http://" + management.getHost() + ":" + management.getPort() + path;
    }
}
