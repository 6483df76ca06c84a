package dev.exifq.fetch;

import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import javax.net.ssl.SSLException;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Counts every fetch by how it ended: {@code exifq.fetch} (Prometheus {@code exifq_fetch_total}) tagged
 * {@code outcome}. Coarser than {@link FetchException#code()} where an operator wants the cause rather than what
 * the user is told: a 5xx and a refused connection are both {@code url_fetch_failed} to the user, but
 * {@code http_5xx} and {@code refused} here.
 *
 * <p>Outcomes: ok, invalid_url, not_allowed, too_large, too_many_redirects, not_found (404/410), http_4xx,
 * http_5xx, dns (no such host, or no answer in time), refused (connection refused, no route), tls, timeout,
 * storage (our disk), connection (reset, cut short, not HTTP), error (a bug of ours).
 */
final class FetchOutcomes {
    static final String METER = "exifq.fetch";

    private final MeterRegistry meters;
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();

    /** @param meters null: count nothing */
    FetchOutcomes(MeterRegistry meters) {
        this.meters = meters;
    }

    void ok() {
        count("ok");
    }

    void failed(FetchException e) {
        count(outcome(e));
    }

    void error() {
        count("error");
    }

    static String outcome(FetchException e) {
        switch (e.code()) {
            case FetchException.INVALID_URL: return "invalid_url";
            case FetchException.URL_NOT_ALLOWED: return "not_allowed";
            case FetchException.FILE_TOO_LARGE: return "too_large";
            case FetchException.TOO_MANY_REDIRECTS: return "too_many_redirects";
            case FetchException.TIMEOUT: return "timeout";
            case FetchException.STORAGE_FAILED: return "storage";
            default: break;
        }
        int status = e.upstreamStatus();
        if (status == 404 || status == 410) {
            return "not_found";
        }
        if (status >= 500) {
            return "http_5xx";
        }
        if (status >= 400) {
            return "http_4xx";
        }
        if (status > 0) {
            return "http_other";
        }
        Throwable cause = e.getCause();
        if (cause instanceof UnknownHostException) {
            return "dns";
        }
        if (cause instanceof ConnectException || cause instanceof NoRouteToHostException) {
            return "refused";
        }
        if (cause instanceof SSLException) {
            return "tls";
        }
        return "connection";
    }

    private void count(String outcome) {
        if (meters != null) {
            counters.computeIfAbsent(outcome, o -> Counter.builder(METER)
                    .description("URL fetches by how they ended")
                    .tag("outcome", o)
                    .register(meters)).increment();
        }
    }
}
