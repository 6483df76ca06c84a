package dev.exifq.fetch;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Limits for {@link UrlFetcher}.
 *
 * @param maxBytes      largest body accepted; bigger (by Content-Length or while streaming) is {@code file_too_large}
 * @param connectTimeout TCP (and TLS) connect timeout per hop
 * @param readTimeout   longest silence while waiting for the response or for the next bytes of the body
 * @param totalTimeout  deadline for the whole fetch, all redirects included; a slow trickle that never trips
 *                      the read timeout still ends here
 * @param maxRedirects  redirects followed at most; one more is {@code too_many_redirects}
 * @param allowedCidrs  address ranges exempt from the SSRF guard, e.g. {@code 127.0.0.0/8}, {@code ::1/128},
 *                      {@code 10.0.0.0/8} (tests, private deployments). Blank entries are ignored, malformed ones
 *                      are rejected here with IllegalArgumentException. Config key
 *                      {@code exifq.ingest.allowed-cidrs} / env {@code EXIFQ_INGEST_ALLOWED_CIDRS}, comma
 *                      separated, is split by the caller.
 */
public record FetchSettings(long maxBytes, Duration connectTimeout, Duration readTimeout, Duration totalTimeout,
                            int maxRedirects, List<String> allowedCidrs) {

    public static final long DEFAULT_MAX_BYTES = 25L * 1024 * 1024;

    public FetchSettings {
        if (maxBytes <= 0) {
            throw new IllegalArgumentException("maxBytes must be positive");
        }
        requirePositive(connectTimeout, "connectTimeout");
        requirePositive(readTimeout, "readTimeout");
        requirePositive(totalTimeout, "totalTimeout");
        if (maxRedirects < 0) {
            throw new IllegalArgumentException("maxRedirects must not be negative");
        }
        allowedCidrs = allowedCidrs == null ? List.of() : List.copyOf(allowedCidrs);
        AddressPolicy.parseCidrs(allowedCidrs); // fail at configuration time, not on the first fetch
    }

    /** 25 MiB, 5 s connect, 15 s read, 60 s overall, 5 redirects, nothing allowlisted. */
    public static FetchSettings defaults() {
        return new FetchSettings(DEFAULT_MAX_BYTES, Duration.ofSeconds(5), Duration.ofSeconds(15),
                Duration.ofSeconds(60), 5, List.of());
    }

    public FetchSettings withMaxBytes(long value) {
        return new FetchSettings(value, connectTimeout, readTimeout, totalTimeout, maxRedirects, allowedCidrs);
    }

    public FetchSettings withTimeouts(Duration connect, Duration read, Duration total) {
        return new FetchSettings(maxBytes, connect, read, total, maxRedirects, allowedCidrs);
    }

    public FetchSettings withMaxRedirects(int value) {
        return new FetchSettings(maxBytes, connectTimeout, readTimeout, totalTimeout, value, allowedCidrs);
    }

    public FetchSettings withAllowedCidrs(List<String> value) {
        return new FetchSettings(maxBytes, connectTimeout, readTimeout, totalTimeout, maxRedirects, value);
    }

    private static void requirePositive(Duration d, String name) {
        Objects.requireNonNull(d, name);
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(name + " must be positive");
        }
    }
}
