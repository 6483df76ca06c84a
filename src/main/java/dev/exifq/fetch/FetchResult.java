package dev.exifq.fetch;

import java.net.URI;

/**
 * A finished download.
 *
 * @param finalUrl        the URL the body came from, after redirects (credentials and fragment removed)
 * @param filename        sanitised file name from Content-Disposition or the last path segment, or null
 * @param contentTypeHint the response media type without parameters (e.g. {@code image/jpeg}), or null; only a
 *                        hint, the server may lie — sniff the bytes before trusting it
 * @param bytes           number of bytes written to the target file
 */
public record FetchResult(URI finalUrl, String filename, String contentTypeHint, long bytes) {
}
