package dev.exifq.webhooks;

import dev.exifq.fetch.AddressPolicy;
import dev.exifq.fetch.GuardedDnsResolver;
import dev.exifq.images.IngestSettings;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.apache.hc.client5.http.classic.methods.HttpPost;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.cookie.StandardCookieSpec;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManager;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.client5.http.protocol.HttpClientContext;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.EndpointDetails;
import org.apache.hc.core5.http.io.SocketConfig;
import org.apache.hc.core5.http.io.entity.ByteArrayEntity;
import org.apache.hc.core5.io.CloseMode;
import org.apache.hc.core5.util.Timeout;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * POSTs one signed delivery. The receiver is as hostile as any URL we fetch: its host passes the ingest SSRF
 * guard ({@link GuardedDnsResolver}, same allowlist), redirects are not followed, its answer's body is never read,
 * and a watchdog ends the attempt at twice the read timeout whatever the receiver does.
 */
@ApplicationScoped
public class WebhookSender {
    static final String EVENT_ID_HEADER = "X-Exifq-Event-Id";
    static final String EVENT_HEADER = "X-Exifq-Event";
    private static final String USER_AGENT = "exifq-webhooks/1.0 (+https://exifq.dev)";
    private static final ContentType JSON = ContentType.create("application/json");

    /** What became of an attempt; {@code error} is safe to show the user (never an internal address). */
    public record Outcome(Kind kind, Integer status, String error) {
        public enum Kind { DELIVERED, FAILED, REFUSED }
    }

    private final AddressPolicy policy;
    private final Duration readTimeout;
    private final PoolingHttpClientConnectionManager connections;
    private final CloseableHttpClient client;
    private final ScheduledExecutorService watchdog = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "exifq-webhook-watchdog");
        t.setDaemon(true);
        return t;
    });

    @Inject
    public WebhookSender(WebhookSettings settings, IngestSettings ingest) {
        this(new AddressPolicy(ingest.allowedCidrs().orElse(List.of())), settings.connectTimeout(),
                settings.readTimeout());
    }

    WebhookSender(AddressPolicy policy, Duration connectTimeout, Duration readTimeout) {
        this.policy = policy;
        this.readTimeout = readTimeout;
        Timeout read = Timeout.of(readTimeout);
        this.connections = PoolingHttpClientConnectionManagerBuilder.create()
                .setDnsResolver(new GuardedDnsResolver(policy, connectTimeout))
                .setDefaultConnectionConfig(ConnectionConfig.custom()
                        .setConnectTimeout(Timeout.of(connectTimeout)).setSocketTimeout(read).build())
                .setDefaultSocketConfig(SocketConfig.custom().setSoTimeout(read).build())
                .setMaxConnTotal(64)
                .setMaxConnPerRoute(8)
                .build();
        this.client = HttpClients.custom()
                .setConnectionManager(connections)
                .setDefaultRequestConfig(RequestConfig.custom()
                        .setRedirectsEnabled(false)
                        .setAuthenticationEnabled(false)
                        .setCookieSpec(StandardCookieSpec.IGNORE)
                        .setExpectContinueEnabled(false)
                        .setResponseTimeout(read)
                        .setConnectionRequestTimeout(Timeout.of(connectTimeout))
                        .build())
                .disableRedirectHandling()
                .disableAutomaticRetries()
                .disableCookieManagement()
                .disableAuthCaching()
                .build();
    }

    public Outcome send(String url, String eventId, String event, String body, String signature) {
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            return new Outcome(Outcome.Kind.REFUSED, null, "The callback URL is not valid");
        }
        HttpPost post = new HttpPost(uri);
        post.setHeader("User-Agent", USER_AGENT);
        post.setHeader(WebhookSignature.HEADER, signature);
        post.setHeader(EVENT_ID_HEADER, eventId);
        post.setHeader(EVENT_HEADER, event);
        post.setEntity(new ByteArrayEntity(body.getBytes(StandardCharsets.UTF_8), JSON));
        HttpClientContext context = HttpClientContext.create();
        ScheduledFuture<?> alarm = watchdog.schedule(post::cancel, readTimeout.toMillis() * 2, TimeUnit.MILLISECONDS);
        try (ClassicHttpResponse response = client.executeOpen(null, post, context)) {
            String blocked = blockedPeer(context);
            if (blocked != null) {
                return refused(blocked);
            }
            int status = response.getCode();
            return status >= 200 && status < 300 ? new Outcome(Outcome.Kind.DELIVERED, status, null)
                    : new Outcome(Outcome.Kind.FAILED, status, "The receiver answered " + status);
        } catch (IOException e) {
            for (Throwable t = e; t != null; t = t.getCause()) {
                if (t instanceof GuardedDnsResolver.BlockedAddressException b) {
                    return refused(b.reason());
                }
            }
            return new Outcome(Outcome.Kind.FAILED, null, e instanceof InterruptedIOException
                    ? "The receiver did not answer in time" : "Could not reach the receiver");
        } finally {
            alarm.cancel(false);
            post.cancel(); // the answer's body is never read: drop the connection rather than drain it
        }
    }

    /** Belt and braces, as in fetch: the address we actually talked to must pass the policy too. */
    private String blockedPeer(HttpClientContext context) {
        EndpointDetails details = context.getEndpointDetails();
        if (details != null && details.getRemoteAddress() instanceof InetSocketAddress a && a.getAddress() != null) {
            return policy.whyBlocked(a.getAddress());
        }
        return null;
    }

    private static Outcome refused(String why) {
        return new Outcome(Outcome.Kind.REFUSED, null, "Callback URL not allowed: the host is "
                + ("aeiou".indexOf(why.charAt(0)) >= 0 ? "an " : "a ") + why);
    }

    @PreDestroy
    void close() {
        watchdog.shutdownNow();
        client.close(CloseMode.IMMEDIATE);
        connections.close(CloseMode.IMMEDIATE);
    }
}
