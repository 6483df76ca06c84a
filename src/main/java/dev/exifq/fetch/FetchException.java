package dev.exifq.fetch;

/**
 * A download that did not produce a file. {@link #code()} is a stable, machine-readable error code,
 * {@link #getMessage()} is safe to show to the user who submitted the URL (it never contains resolved
 * internal addresses or stack details).
 *
 * <h2>Codes and the status our API answers for a synchronous request ({@link #httpStatus()})</h2>
 * <table>
 * <caption>error codes</caption>
 * <tr><th>code</th><th>transient</th><th>httpStatus</th><th>when</th></tr>
 * <tr><td>invalid_url</td><td>no</td><td>400</td><td>not an absolute http(s) URL, malformed host, other scheme
 *     (also on a redirect to another scheme)</td></tr>
 * <tr><td>url_not_allowed</td><td>no</td><td>400</td><td>the host (or a redirect target) resolves to an address the
 *     {@link AddressPolicy} blocks</td></tr>
 * <tr><td>file_too_large</td><td>no</td><td>413</td><td>Content-Length or the streamed body exceeds maxBytes</td></tr>
 * <tr><td>too_many_redirects</td><td>no</td><td>422</td><td>more than maxRedirects redirects, or a redirect loop</td></tr>
 * <tr><td>url_not_found</td><td>no</td><td>422</td><td>upstream 404/410, or the host name does not resolve</td></tr>
 * <tr><td>url_fetch_failed</td><td>no</td><td>422</td><td>other upstream 4xx, unusable 2xx/3xx, TLS handshake
 *     failure, a response that is not HTTP</td></tr>
 * <tr><td>url_fetch_failed</td><td>yes</td><td>502</td><td>upstream 5xx, 429, 408, connection refused/reset,
 *     body cut short, temporary DNS failure</td></tr>
 * <tr><td>timeout</td><td>yes</td><td>504</td><td>connect, read or overall deadline exceeded</td></tr>
 * <tr><td>storage_failed</td><td>yes</td><td>500</td><td>the target file could not be written (our side)</td></tr>
 * </table>
 * 422 rather than 400 for upstream problems: the request itself was well formed, the resource it points at
 * could not be used. {@link #upstreamStatus()} carries the remote HTTP status where there was one.
 */
public class FetchException extends Exception {

    public static final String INVALID_URL = "invalid_url";
    public static final String URL_NOT_ALLOWED = "url_not_allowed";
    public static final String FILE_TOO_LARGE = "file_too_large";
    public static final String TOO_MANY_REDIRECTS = "too_many_redirects";
    public static final String URL_NOT_FOUND = "url_not_found";
    public static final String URL_FETCH_FAILED = "url_fetch_failed";
    public static final String TIMEOUT = "timeout";
    public static final String STORAGE_FAILED = "storage_failed";

    private static final long serialVersionUID = 1L;

    private final String code;
    private final boolean transientFailure;
    private final int httpStatus;
    private final int upstreamStatus;

    public FetchException(String code, boolean transientFailure, int httpStatus, int upstreamStatus,
                          String message, Throwable cause) {
        super(message, cause);
        this.code = code;
        this.transientFailure = transientFailure;
        this.httpStatus = httpStatus;
        this.upstreamStatus = upstreamStatus;
    }

    /** Stable error code, e.g. {@code url_not_allowed}. */
    public String code() {
        return code;
    }

    /** True if the same fetch may succeed later (worth retrying with backoff). */
    public boolean transientFailure() {
        return transientFailure;
    }

    /** The status our own API should answer for a synchronous request that failed this way. */
    public int httpStatus() {
        return httpStatus;
    }

    /** The remote server's HTTP status that caused this failure, or 0 if there was none. */
    public int upstreamStatus() {
        return upstreamStatus;
    }

    @Override
    public String toString() {
        return "FetchException[" + code + (transientFailure ? ", transient" : "")
                + (upstreamStatus > 0 ? ", upstream " + upstreamStatus : "") + "]: " + getMessage();
    }

    static FetchException invalidUrl(String message) {
        return new FetchException(INVALID_URL, false, 400, 0, message, null);
    }

    static FetchException notAllowed(String message) {
        return new FetchException(URL_NOT_ALLOWED, false, 400, 0, message, null);
    }

    static FetchException tooLarge(long maxBytes) {
        return new FetchException(FILE_TOO_LARGE, false, 413, 0,
                "The file is larger than the limit of " + maxBytes + " bytes", null);
    }

    static FetchException tooManyRedirects(String message) {
        return new FetchException(TOO_MANY_REDIRECTS, false, 422, 0, message, null);
    }

    static FetchException notFound(int upstreamStatus, String message, Throwable cause) {
        return new FetchException(URL_NOT_FOUND, false, 422, upstreamStatus, message, cause);
    }

    static FetchException failed(boolean transientFailure, int upstreamStatus, String message, Throwable cause) {
        return new FetchException(URL_FETCH_FAILED, transientFailure, transientFailure ? 502 : 422,
                upstreamStatus, message, cause);
    }

    static FetchException timeout(String message, Throwable cause) {
        return new FetchException(TIMEOUT, true, 504, 0, message, cause);
    }

    static FetchException storage(String message, Throwable cause) {
        return new FetchException(STORAGE_FAILED, true, 500, 0, message, cause);
    }
}
