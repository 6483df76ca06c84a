package dev.exifq.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A local HTTP server playing the three Stripe API calls exifq makes (create customer, Checkout Session,
 * Billing Portal session), recording what the real stripe-java client sent. Started once for the test JVM
 * by {@link Resource}, which points exifq.stripe.* at it with test-mode style secrets.
 */
public final class FakeStripe implements AutoCloseable {
    public static final String API_KEY = "sk_test_exifqFAKEsecretKEY0123456789";
    public static final String PRICE = "price_test_pro_monthly";
    public static final String WEBHOOK_SECRET = "whsec_test_exifqFAKEwebhookSECRET0123";

    private static volatile FakeStripe instance;

    /** One call as Stripe would see it: form parameters decoded, in order. */
    public record Call(String method, String path, String authorization, Map<String, String> params) {}

    private final HttpServer server;
    private final List<Call> calls = new CopyOnWriteArrayList<>();
    private final AtomicInteger ids = new AtomicInteger();
    private volatile int failWith;

    private FakeStripe() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
        server.createContext("/", this::handle);
        server.start();
    }

    public static FakeStripe get() {
        return instance;
    }

    public String base() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    public List<Call> calls(String path) {
        return calls.stream().filter(c -> c.path().equals(path)).toList();
    }

    public List<Call> calls() {
        return new ArrayList<>(calls);
    }

    /** Makes the next calls answer this HTTP status with a Stripe error body (0: answer normally). */
    public void failWith(int status) {
        failWith = status;
    }

    private void handle(HttpExchange ex) throws IOException {
        String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        String path = ex.getRequestURI().getPath();
        calls.add(new Call(ex.getRequestMethod(), path, ex.getRequestHeaders().getFirst("Authorization"), form(body)));
        int n = ids.incrementAndGet();
        String answer;
        int status = 200;
        if (failWith != 0) {
            status = failWith;
            answer = "{\"error\": {\"type\": \"invalid_request_error\", \"message\": \"No such price\"}}";
        } else if (path.equals("/v1/customers")) {
            answer = "{\"id\": \"cus_fake" + n + "\", \"object\": \"customer\"}";
        } else if (path.equals("/v1/checkout/sessions")) {
            answer = "{\"id\": \"cs_test_fake" + n + "\", \"object\": \"checkout.session\", \"mode\": \"subscription\","
                    + " \"url\": \"https://checkout.stripe.com/c/pay/cs_test_fake" + n + "\"}";
        } else if (path.equals("/v1/billing_portal/sessions")) {
            answer = "{\"id\": \"bps_fake" + n + "\", \"object\": \"billing_portal.session\","
                    + " \"url\": \"https://billing.stripe.com/p/session/test_fake" + n + "\"}";
        } else {
            status = 404;
            answer = "{\"error\": {\"type\": \"invalid_request_error\", \"message\": \"Unrecognized request URL\"}}";
        }
        byte[] bytes = answer.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().add("Content-Type", "application/json");
        ex.getResponseHeaders().add("Request-Id", "req_fake" + n);
        ex.sendResponseHeaders(status, bytes.length);
        ex.getResponseBody().write(bytes);
        ex.close();
    }

    private static Map<String, String> form(String body) {
        Map<String, String> params = new LinkedHashMap<>();
        for (String pair : body.split("&")) {
            if (pair.isEmpty()) continue;
            int eq = pair.indexOf('=');
            params.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                    URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return params;
    }

    @Override
    public void close() {
        server.stop(0);
    }

    /** Global (not restricted to one class): every test JVM's app talks to the one fake. */
    public static class Resource implements QuarkusTestResourceLifecycleManager {
        @Override
        public Map<String, String> start() {
            try {
                if (instance == null) {
                    instance = new FakeStripe();
                }
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
            return Map.of("exifq.stripe.api-base", instance.base(), "exifq.stripe.api-key", API_KEY,
                    "exifq.stripe.pro-price-id", PRICE, "exifq.stripe.webhook-secret", WEBHOOK_SECRET);
        }

        @Override
        public void stop() {
            // kept for the JVM: apps restarted for another test profile get the same base
        }
    }
}
