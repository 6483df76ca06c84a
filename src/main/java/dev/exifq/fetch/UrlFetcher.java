package dev.exifq.fetch;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.NoRouteToHostException;
import java.net.SocketAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLPeerUnverifiedException;

import io.micrometer.core.instrument.MeterRegistry;

import org.apache.hc.client5.http.ClientProtocolException;
import org.apache.hc.client5.http.auth.CredentialsProvider;
import org.apache.hc.client5.http.classic.methods.HttpGet;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.cookie.StandardCookieSpec;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.ManagedHttpClientConnectionFactory;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManager;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.client5.http.protocol.HttpClientContext;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.EndpointDetails;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpEntity;
import org.apache.hc.core5.http.HttpHeaders;
import org.apache.hc.core5.http.HttpHost;
import org.apache.hc.core5.http.MessageConstraintException;
import org.apache.hc.core5.http.config.Http1Config;
import org.apache.hc.core5.http.io.SocketConfig;
import org.apache.hc.core5.http.message.BasicHeader;
import org.apache.hc.core5.io.CloseMode;
import org.apache.hc.core5.net.URIAuthority;
import org.apache.hc.core5.util.TimeValue;
import org.apache.hc.core5.util.Timeout;
import org.jboss.logging.Logger;

/**
 * Downloads a user-supplied http(s) URL to a file, treating the URL and everything the server says as hostile.
 *
 * <ul>
 * <li>Only http/https; other schemes, also as redirect targets, are {@code invalid_url}.</li>
 * <li>SSRF: every hop's host is resolved exactly once by {@link GuardedDnsResolver}; if any address is blocked by
 *     the {@link AddressPolicy} the hop is refused ({@code url_not_allowed}) before a connection is made, and the
 *     connection can only go to the addresses that were checked. IP-literal hosts (including numeric spellings
 *     such as {@code 2130706433} or {@code 0x7f.1}) are checked before the request is even built, and the peer
 *     address of every response is checked again.</li>
 * <li>Redirects (301/302/303/307/308) are followed here, not by the client, at most {@code maxRedirects};
 *     a revisited URL is a loop. Both are {@code too_many_redirects}.</li>
 * <li>Body streamed to {@code target}, never more than {@code maxBytes} written ({@code file_too_large}, early on
 *     a larger Content-Length). The connection is dropped rather than drained.</li>
 * <li>Connect/read timeouts per hop plus a watchdog that aborts the whole fetch at {@code totalTimeout}.</li>
 * <li>No cookies, no authentication, no credentials from the URL, no proxies from the environment, no automatic
 *     retries.</li>
 * </ul>
 *
 * On any failure the target file is deleted. Thread-safe: one instance serves concurrent fetches (a shared
 * connection pool). Close it to release the pool and the watchdog thread.
 */
public final class UrlFetcher implements AutoCloseable {

    public static final String USER_AGENT = "exifq/1.0 (+https://exifq.dev)";
    public static final String ACCEPT = "image/*,*/*;q=0.8";

    private static final Logger LOG = Logger.getLogger(UrlFetcher.class);
    private static final int BUFFER = 16 * 1024;
    private static final Pattern MEDIA_TYPE = Pattern.compile("[a-z0-9!#$&^_.+-]+/[a-z0-9!#$&^_.+-]+");

    private final FetchSettings settings;
    private final AddressPolicy policy;
    private final PoolingHttpClientConnectionManager connections;
    private final CloseableHttpClient client;
    private final ScheduledExecutorService watchdog;
    private final RequestConfig requestConfig;
    private final FetchOutcomes outcomes;

    public UrlFetcher(FetchSettings settings) {
        this(settings, null, null);
    }

    /** @param meters where {@code exifq.fetch} counts each fetch's outcome; null counts nothing */
    public UrlFetcher(FetchSettings settings, MeterRegistry meters) {
        this(settings, null, meters);
    }

    /** @param lookup the host name lookup (tests: one that hangs); null for the system resolver */
    UrlFetcher(FetchSettings settings, GuardedDnsResolver.Lookup lookup) {
        this(settings, lookup, null);
    }

    private UrlFetcher(FetchSettings settings, GuardedDnsResolver.Lookup lookup, MeterRegistry meters) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.outcomes = new FetchOutcomes(meters);
        this.policy = new AddressPolicy(settings.allowedCidrs());
        Timeout connect = Timeout.of(settings.connectTimeout());
        Timeout read = Timeout.of(settings.readTimeout());

        this.connections = PoolingHttpClientConnectionManagerBuilder.create()
                .setDnsResolver(lookup == null
                        ? new GuardedDnsResolver(policy, settings.connectTimeout())
                        : new GuardedDnsResolver(policy, settings.connectTimeout(), lookup))
                .setDefaultConnectionConfig(ConnectionConfig.custom()
                        .setConnectTimeout(connect)
                        .setSocketTimeout(read)
                        .setTimeToLive(TimeValue.ofMinutes(1))
                        .setValidateAfterInactivity(TimeValue.ofSeconds(2))
                        .build())
                .setDefaultSocketConfig(SocketConfig.custom().setSoTimeout(read).build())
                .setConnectionFactory(ManagedHttpClientConnectionFactory.builder()
                        .http1Config(Http1Config.custom()
                                .setMaxLineLength(16 * 1024)   // a hostile server gets no unbounded header
                                .setMaxHeaderCount(200)
                                .setMaxEmptyLineCount(10)
                                .build())
                        .build())
                .setMaxConnTotal(128)
                .setMaxConnPerRoute(32)
                .build();

        this.requestConfig = RequestConfig.custom()
                .setRedirectsEnabled(false)
                .setAuthenticationEnabled(false)
                .setCookieSpec(StandardCookieSpec.IGNORE)
                .setExpectContinueEnabled(false)
                .setProtocolUpgradeEnabled(false)
                .setResponseTimeout(read)
                .setConnectionRequestTimeout(connect)
                .build();

        CredentialsProvider noCredentials = (authScope, context) -> null;
        this.client = HttpClients.custom()
                .setConnectionManager(connections)
                .setDefaultRequestConfig(requestConfig)
                .disableRedirectHandling()
                .disableCookieManagement()
                .disableAuthCaching()
                .disableAutomaticRetries()
                .setDefaultCredentialsProvider(noCredentials)
                .setUserAgent(USER_AGENT)
                .setDefaultHeaders(List.of(new BasicHeader(HttpHeaders.ACCEPT, ACCEPT)))
                .evictIdleConnections(TimeValue.ofSeconds(30))
                .build();

        ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "exifq-fetch-watchdog");
            t.setDaemon(true);
            return t;
        });
        timer.setRemoveOnCancelPolicy(true);
        this.watchdog = timer;
    }

    public FetchSettings settings() {
        return settings;
    }

    public AddressPolicy policy() {
        return policy;
    }

    /**
     * Downloads {@code url} into {@code target} (created or overwritten; deleted again if the fetch fails).
     *
     * @throws FetchException with a code from {@link FetchException}; never leaves a partial file behind
     */
    /** Checks a URL the way {@link #fetch} reads it, without resolving or connecting: for early 400s. */
    public static void checkSyntax(String url) throws FetchException {
        TargetUrl.parse(url);
    }

    public FetchResult fetch(String url, Path target) throws FetchException {
        Objects.requireNonNull(target, "target");
        boolean done = false;
        try {
            FetchResult result = fetchOrThrow(url, target);
            done = true;
            outcomes.ok();
            return result;
        } catch (FetchException e) {
            outcomes.failed(e);
            throw e;
        } catch (RuntimeException | Error e) {
            outcomes.error();
            throw e;
        } finally {
            if (!done) {
                try {
                    Files.deleteIfExists(target);
                } catch (IOException e) {
                    LOG.warnf("could not delete partial download %s: %s", target, e);
                }
            }
        }
    }

    private FetchResult fetchOrThrow(String url, Path target) throws FetchException {
        final TargetUrl original = TargetUrl.parse(url);
        final long deadline = System.nanoTime() + settings.totalTimeout().toNanos();
        final Watchdog dog = new Watchdog();
        ScheduledFuture<?> alarm = watchdog.schedule(dog, settings.totalTimeout().toNanos(), TimeUnit.NANOSECONDS);
        try {
            TargetUrl current = original;
            Set<String> visited = new HashSet<>();
            visited.add(current.toString());
            for (int redirects = 0; ; redirects++) {
                boolean redirected = redirects > 0;
                checkLiteral(current, redirected);
                HttpGet get = new HttpGet(current.uri);
                get.setAuthority(new URIAuthority(current.ipv6 ? "[" + current.host + "]" : current.host,
                        current.port));
                dog.current = get;
                long remainingMs = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                if (dog.expired || remainingMs <= 0) {
                    throw overallTimeout(null);
                }
                // waiting for a pooled connection counts against the overall deadline only
                get.setConfig(RequestConfig.copy(requestConfig)
                        .setConnectionRequestTimeout(Timeout.ofMilliseconds(remainingMs)).build());
                HttpClientContext context = HttpClientContext.create();
                ClassicHttpResponse response;
                try {
                    response = client.executeOpen(new HttpHost(current.scheme, current.host, current.port),
                            get, context);
                } catch (IOException e) {
                    throw mapIoException(e, dog.expired, current, redirected);
                }
                boolean reusable = false;
                try {
                    checkPeer(context, current, redirected);
                    int status = response.getCode();
                    if (isRedirect(status)) {
                        Header location = response.getFirstHeader(HttpHeaders.LOCATION);
                        if (location == null || location.getValue().isBlank()) {
                            throw FetchException.failed(false, status,
                                    "The server answered " + status + " without a redirect location", null);
                        }
                        if (redirects >= settings.maxRedirects()) {
                            throw FetchException.tooManyRedirects(
                                    "More than " + settings.maxRedirects() + " redirects");
                        }
                        TargetUrl next;
                        try {
                            next = current.redirect(location.getValue());
                        } catch (FetchException e) {
                            throw FetchException.invalidUrl("Redirected to an unusable URL: " + e.getMessage());
                        }
                        if (!visited.add(next.toString())) {
                            throw FetchException.tooManyRedirects("The URL redirects in a loop");
                        }
                        current = next;
                        continue;
                    }
                    if (status < 200 || status >= 300) {
                        throw statusFailure(status);
                    }
                    if (status == 204 || status == 205 || status == 206) {
                        throw FetchException.failed(false, status,
                                "The server answered " + status + " instead of the file", null);
                    }
                    FetchResult result = download(response, current, original, target, deadline, dog);
                    reusable = true;
                    return result;
                } catch (IOException e) {
                    throw mapIoException(e, dog.expired, current, redirected);
                } finally {
                    release(get, response, reusable);
                }
            }
        } finally {
            alarm.cancel(false);
        }
    }

    private FetchResult download(ClassicHttpResponse response, TargetUrl current, TargetUrl original, Path target,
                                 long deadline, Watchdog dog) throws IOException, FetchException {
        long max = settings.maxBytes();
        HttpEntity entity = response.getEntity();
        long declared = contentLength(response, entity);
        if (declared > max) {
            throw FetchException.tooLarge(max);
        }
        long total = 0;
        OutputStream out = openTarget(target);
        try {
            if (entity != null) {
                InputStream in = entity.getContent();
                byte[] buf = new byte[BUFFER];
                for (int n; (n = in.read(buf)) >= 0; ) {
                    total += n;
                    if (total > max) {
                        throw FetchException.tooLarge(max);
                    }
                    if (dog.expired || System.nanoTime() - deadline > 0) {
                        throw overallTimeout(null);
                    }
                    write(out, buf, n);
                }
            }
        } finally {
            closeTarget(out);
        }
        Header disposition = response.getFirstHeader("Content-Disposition");
        Header contentType = response.getFirstHeader(HttpHeaders.CONTENT_TYPE);
        String filename = Filenames.choose(disposition == null ? null : disposition.getValue(),
                current.rawPath, original.rawPath);
        return new FetchResult(current.uri, filename, mediaType(contentType == null ? null : contentType.getValue()),
                total);
    }

    private static OutputStream openTarget(Path target) throws FetchException {
        try {
            return Files.newOutputStream(target);
        } catch (IOException e) {
            throw FetchException.storage("Could not create the target file", e);
        }
    }

    private static void write(OutputStream out, byte[] buf, int n) throws FetchException {
        try {
            out.write(buf, 0, n);
        } catch (IOException e) {
            throw FetchException.storage("Could not store the downloaded file", e);
        }
    }

    private static void closeTarget(OutputStream out) throws FetchException {
        try {
            out.close();
        } catch (IOException e) {
            throw FetchException.storage("Could not store the downloaded file", e);
        }
    }

    private static long contentLength(ClassicHttpResponse response, HttpEntity entity) {
        Header h = response.getFirstHeader(HttpHeaders.CONTENT_LENGTH);
        if (h != null) {
            try {
                return Long.parseLong(h.getValue().trim());
            } catch (NumberFormatException e) {
                return -1;
            }
        }
        return entity == null ? -1 : entity.getContentLength();
    }

    private void checkLiteral(TargetUrl url, boolean redirected) throws FetchException {
        if (url.literal == null) {
            return;
        }
        String why = policy.whyBlocked(url.literal);
        if (why != null) {
            throw notAllowed(why, url, redirected);
        }
    }

    /** Belt and braces: the address we actually talked to must pass the policy too. */
    private void checkPeer(HttpClientContext context, TargetUrl url, boolean redirected) throws FetchException {
        EndpointDetails details = context.getEndpointDetails();
        SocketAddress remote = details == null ? null : details.getRemoteAddress();
        if (remote instanceof InetSocketAddress isa && isa.getAddress() != null) {
            String why = policy.whyBlocked(isa.getAddress());
            if (why != null) {
                throw notAllowed(why, url, redirected);
            }
        }
    }

    private static FetchException notAllowed(String why, TargetUrl url, boolean redirected) {
        // operators get the host, the user gets only the reason
        LOG.infof("refused fetch of %s%s: %s", url.authority(), redirected ? " (redirect target)" : "", why);
        return FetchException.notAllowed("URL not allowed: the " + (redirected ? "redirect target" : "host")
                + " is " + ("aeiou".indexOf(why.charAt(0)) >= 0 ? "an " : "a ") + why);
    }

    private static boolean isRedirect(int status) {
        return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
    }

    private static FetchException statusFailure(int status) {
        if (status == 404 || status == 410) {
            return FetchException.notFound(status, "The server answered " + status + ": file not found", null);
        }
        boolean transientFailure = status >= 500 || status == 429 || status == 408;
        return FetchException.failed(transientFailure, status, "The server answered " + status, null);
    }

    private FetchException overallTimeout(Throwable cause) {
        return FetchException.timeout("The download did not finish within "
                + settings.totalTimeout().toSeconds() + " s", cause);
    }

    private FetchException mapIoException(IOException e, boolean expired, TargetUrl url, boolean redirected) {
        if (expired) {
            return overallTimeout(e);
        }
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof GuardedDnsResolver.BlockedAddressException blocked) {
                return notAllowed(blocked.reason(), url, redirected);
            }
        }
        if (e instanceof InterruptedIOException) {
            // SocketTimeoutException, ConnectTimeoutException
            return FetchException.timeout("The server did not answer in time", e);
        }
        if (e instanceof UnknownHostException) {
            String msg = String.valueOf(e.getMessage()).toLowerCase(Locale.ROOT);
            if (msg.contains("temporary failure") || msg.contains("try again")) {
                return FetchException.failed(true, 0, "The host name could not be resolved right now", e);
            }
            return FetchException.notFound(0, "The host name does not resolve", e);
        }
        if (e instanceof ConnectException || e instanceof NoRouteToHostException) {
            return FetchException.failed(true, 0, "Could not connect to the server", e);
        }
        if (e instanceof SSLHandshakeException || e instanceof SSLPeerUnverifiedException) {
            return FetchException.failed(false, 0, "The TLS handshake with the server failed", e);
        }
        if (e instanceof SSLException) {
            return FetchException.failed(true, 0, "The TLS connection to the server failed", e);
        }
        if (e instanceof ClientProtocolException || e instanceof MessageConstraintException) {
            return FetchException.failed(false, 0, "The server's response is not valid HTTP", e);
        }
        return FetchException.failed(true, 0, "The connection to the server failed", e);
    }

    /** Cancelling drops the connection: an unread body is never drained. */
    private static void release(HttpGet request, ClassicHttpResponse response, boolean reusable) {
        if (!reusable) {
            request.cancel();
        }
        try {
            response.close();
        } catch (IOException | RuntimeException e) {
            LOG.debugf("closing response: %s", e);
        }
    }

    static String mediaType(String header) {
        if (header == null) {
            return null;
        }
        int semi = header.indexOf(';');
        String t = (semi >= 0 ? header.substring(0, semi) : header).trim().toLowerCase(Locale.ROOT);
        if (t.length() > 127 || !MEDIA_TYPE.matcher(t).matches()) {
            return null;
        }
        return t;
    }

    @Override
    public void close() {
        watchdog.shutdownNow();
        client.close(CloseMode.IMMEDIATE);
        connections.close(CloseMode.IMMEDIATE);
    }

    /** Aborts whatever request the fetch is on when the overall deadline passes. */
    private static final class Watchdog implements Runnable {
        volatile HttpGet current;
        volatile boolean expired;

        @Override
        public void run() {
            expired = true;
            HttpGet r = current;
            if (r != null) {
                r.cancel();
            }
        }
    }
}
