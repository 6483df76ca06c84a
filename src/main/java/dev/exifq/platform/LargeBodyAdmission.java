package dev.exifq.platform;

import io.vertx.core.http.HttpServerRequest;

/**
 * Whether a request may send a large body (a bulk upload), decided from its headers before a byte of the body is
 * read, so that nobody without credentials can make us store hundreds of megabytes. Implemented where callers
 * are known (accounts); may block (it reads the database), so it is called on a worker thread.
 */
public interface LargeBodyAdmission {
    boolean admits(HttpServerRequest request);
}
