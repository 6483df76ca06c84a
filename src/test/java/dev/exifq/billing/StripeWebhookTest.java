package dev.exifq.billing;

import dev.exifq.accounts.User;
import dev.exifq.platform.Ulid;
import dev.exifq.testing.Api;
import dev.exifq.testing.FakeStripe;
import dev.exifq.testing.TestUsers;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.response.ValidatableResponse;
import org.junit.jupiter.api.Test;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;

import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

/**
 * Stripe's webhook with payloads signed the way Stripe signs them (t=…,v1=HMAC-SHA256 of "t.body" under the
 * endpoint secret), computed here independently of stripe-java.
 */
@QuarkusTest
@QuarkusTestResource(FakeStripe.Resource.class)
class StripeWebhookTest {

    @Test
    void refusesMissingWrongAndStaleSignatures() {
        String body = event("evt_" + Ulid.next(), "customer.created", now(), "{\"id\": \"cus_x\"}");
        RestAssured.given().contentType("application/json").body(body).post("/api/billing/webhook")
                .then().statusCode(400).body("ok", equalTo(false)).body("error", equalTo("missing_signature"));
        send(body, sign(body, now(), "whsec_someone_else")).statusCode(400).body("error", equalTo("invalid_signature"));
        send(body, "t=" + now() + ",v1=" + "00".repeat(32)).statusCode(400).body("error", equalTo("invalid_signature"));
        send(body, "garbage").statusCode(400).body("error", equalTo("invalid_signature"));
        // the signature covers the exact bytes: one changed byte (even whitespace) breaks it
        send(body + " ", sign(body, now(), FakeStripe.WEBHOOK_SECRET)).statusCode(400)
                .body("error", equalTo("invalid_signature"));
        send(body, sign(body, now() - 600, FakeStripe.WEBHOOK_SECRET)).statusCode(400)
                .body("error", equalTo("stale_signature"));
        send(body, sign(body, now(), FakeStripe.WEBHOOK_SECRET)).statusCode(200).body("outcome", equalTo("ignored"));
    }

    @Test
    void checkoutUpgradesCancellationDowngradesAndTheLimitsFollow() {
        TestUsers.Created user = TestUsers.create("free");
        String customer = "cus_" + Ulid.next();
        String sub = "sub_" + Ulid.next();
        status(user).body("plan", equalTo("free")).body("usage.limit", equalTo(5)).body("subscription", nullValue());
        Api.as(user.apiKey()).contentType("application/json").body("{}").post("/api/keys").then().statusCode(403);

        long t = now();
        deliver(event("evt_" + Ulid.next(), "checkout.session.completed", t, """
                {"id": "cs_test_1", "object": "checkout.session", "mode": "subscription", "customer": "%s",
                 "subscription": "%s", "client_reference_id": "%d", "payment_status": "paid"}"""
                .formatted(customer, sub, user.userId()))).body("outcome", equalTo("processed"));
        status(user).body("plan", equalTo("pro")).body("usage.limit", equalTo(300))
                .body("subscription.id", equalTo(sub)).body("subscription.status", equalTo("active"));
        Api.as(user.apiKey()).contentType("application/json").body("{}").post("/api/keys").then().statusCode(201);

        deliver(subscriptionEvent("customer.subscription.updated", t + 1, sub, customer, "trialing", t + 86400))
                .body("outcome", equalTo("processed"));
        status(user).body("plan", equalTo("pro")).body("subscription.status", equalTo("trialing"))
                .body("subscription.current_period_end", notNullValue());

        deliver(event("evt_" + Ulid.next(), "invoice.payment_failed", t + 2, """
                {"id": "in_1", "object": "invoice", "customer": "%s", "subscription": "%s"}""".formatted(customer, sub)))
                .body("outcome", equalTo("processed"));
        status(user).body("plan", equalTo("pro")).body("subscription.payment_failed_at", notNullValue());

        deliver(subscriptionEvent("customer.subscription.updated", t + 3, sub, customer, "past_due", t + 86400));
        status(user).body("plan", equalTo("free")).body("usage.limit", equalTo(5))
                .body("subscription.status", equalTo("past_due"));

        deliver(subscriptionEvent("customer.subscription.updated", t + 4, sub, customer, "active", t + 86400));
        status(user).body("plan", equalTo("pro"));
        deliver(subscriptionEvent("customer.subscription.deleted", t + 5, sub, customer, "canceled", t + 86400));
        status(user).body("plan", equalTo("free")).body("usage.limit", equalTo(5))
                .body("subscription.status", equalTo("canceled"));
        Api.as(user.apiKey()).contentType("application/json").body("{}").post("/api/keys").then().statusCode(403);

        // a late retry of an older event does not roll the state back
        deliver(subscriptionEvent("customer.subscription.updated", t + 2, sub, customer, "active", t + 86400))
                .body("outcome", equalTo("ignored"));
        status(user).body("plan", equalTo("free"));

        Api.asAdmin().get("/api/admin/users/" + user.userId() + "/plan-changes").then().statusCode(200)
                .body("changes.size()", equalTo(4))
                .body("changes[0].to_plan", equalTo("free")).body("changes[0].source", equalTo("stripe"))
                .body("changes[0].reason", equalTo("customer.subscription.deleted"))
                .body("changes[0].subscription_id", equalTo(sub))
                .body("changes[3].to_plan", equalTo("pro")).body("changes[3].reason", equalTo("checkout.session.completed"));
    }

    @Test
    void eachEventIsProcessedOnce() {
        TestUsers.Created user = TestUsers.create("free");
        String customer = "cus_" + Ulid.next();
        String sub = "sub_" + Ulid.next();
        link(user.userId(), customer);
        long t = now();
        String created = subscriptionEvent("customer.subscription.created", t, sub, customer, "active", t + 86400);
        deliver(created).body("outcome", equalTo("processed"));
        deliver(created).body("outcome", equalTo("duplicate"));
        deliver(subscriptionEvent("customer.subscription.deleted", t + 1, sub, customer, "canceled", t));
        status(user).body("plan", equalTo("free"));
        // Stripe retrying the creation (same id, signed anew) after the cancellation changes nothing
        deliver(created).body("outcome", equalTo("duplicate"));
        status(user).body("plan", equalTo("free"));
    }

    @Test
    void unknownTypesAndVanishedUsersAreAnswered200AndIgnored() {
        deliver(event("evt_" + Ulid.next(), "charge.refunded", now(), "{\"id\": \"ch_1\"}"))
                .body("ok", equalTo(true)).body("outcome", equalTo("ignored"));

        TestUsers.Created user = TestUsers.create("free");
        String customer = "cus_" + Ulid.next();
        link(user.userId(), customer);
        QuarkusTransaction.requiringNew().run(() -> User.deleteById(user.userId()));
        long t = now();
        deliver(subscriptionEvent("customer.subscription.created", t, "sub_" + Ulid.next(), customer, "active", t))
                .body("outcome", equalTo("ignored"));
        deliver(event("evt_" + Ulid.next(), "checkout.session.completed", t, """
                {"id": "cs_test_2", "customer": "%s", "subscription": "sub_gone", "client_reference_id": "%d",
                 "payment_status": "paid"}""".formatted(customer, user.userId()))).body("outcome", equalTo("ignored"));
    }

    @Test
    void anAdminsPlanIsNotUndoneByEventsForAnOlderSubscription() {
        TestUsers.Created user = TestUsers.create("free");
        String customer = "cus_" + Ulid.next();
        String old = "sub_" + Ulid.next();
        link(user.userId(), customer);
        long t = now();
        deliver(subscriptionEvent("customer.subscription.created", t, old, customer, "active", t + 86400));
        status(user).body("plan", equalTo("pro"));

        // comped: stays pro when the paid subscription ends
        Api.asAdmin().contentType("application/json").body(Map.of("plan", "pro", "reason", "Comped: speaker"))
                .post("/api/admin/users/" + user.userId() + "/plan").then().statusCode(200)
                .body("change.source", equalTo("admin")).body("change.reason", equalTo("Comped: speaker"))
                .body("change.admin_id", notNullValue()).body("change.changed_at", notNullValue());
        deliver(subscriptionEvent("customer.subscription.deleted", t + 1, old, customer, "canceled", t));
        status(user).body("plan", equalTo("pro"));

        // set to free by support: the old subscription coming back (e.g. a retried payment) does not override it
        Api.asAdmin().contentType("application/json").body(Map.of("plan", "free", "reason", "Chargeback"))
                .post("/api/admin/users/" + user.userId() + "/plan").then().statusCode(200);
        deliver(subscriptionEvent("customer.subscription.updated", t + 2, old, customer, "active", t + 86400));
        status(user).body("plan", equalTo("free"));

        // a new subscription, started after the admin's decision, does upgrade
        String fresh = "sub_" + Ulid.next();
        deliver(subscriptionEvent("customer.subscription.created", t + 3, fresh, customer, "active", t + 86400));
        status(user).body("plan", equalTo("pro"));
        Api.asAdmin().get("/api/admin/users/" + user.userId() + "/plan-changes").then().statusCode(200)
                .body("changes[0].source", equalTo("stripe")).body("changes[0].subscription_id", equalTo(fresh))
                .body("changes[1].source", equalTo("admin")).body("changes[1].reason", equalTo("Chargeback"));
    }

    @Test
    void adminPlanChangesAreValidated() {
        TestUsers.Created user = TestUsers.create("free");
        String path = "/api/admin/users/" + user.userId() + "/plan";
        Api.asAdmin().contentType("application/json").body(Map.of("plan", "gold", "reason", "x")).post(path)
                .then().statusCode(400).body("error", equalTo("invalid_plan"));
        Api.asAdmin().contentType("application/json").body(Map.of("plan", "pro")).post(path)
                .then().statusCode(400).body("error", equalTo("invalid_reason"));
        Api.asAdmin().contentType("application/json").body(Map.of("plan", "pro", "reason", "x"))
                .post("/api/admin/users/999999999/plan").then().statusCode(404).body("error", equalTo("not_found"));
        Api.as(user.apiKey()).contentType("application/json").body(Map.of("plan", "pro", "reason", "me")).post(path)
                .then().statusCode(403);
        RestAssured.given().contentType("application/json").body(Map.of("plan", "pro", "reason", "me")).post(path)
                .then().statusCode(401);
        status(user).body("plan", equalTo("free"));
    }

    // --- helpers

    static long now() {
        return Instant.now().getEpochSecond();
    }

    static String event(String id, String type, long created, String object) {
        return """
                {"id": "%s", "object": "event", "api_version": "2024-06-20", "type": "%s", "created": %d,
                 "livemode": false, "data": {"object": %s}}""".formatted(id, type, created, object);
    }

    static String subscriptionEvent(String type, long created, String sub, String customer, String status, long periodEnd) {
        return event("evt_" + Ulid.next(), type, created, """
                {"id": "%s", "object": "subscription", "customer": "%s", "status": "%s",
                 "items": {"object": "list", "data": [{"id": "si_1", "current_period_end": %d}]}}"""
                .formatted(sub, customer, status, periodEnd));
    }

    static String sign(String body, long timestamp, String secret) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            byte[] sig = mac.doFinal((timestamp + "." + body).getBytes(StandardCharsets.UTF_8));
            return "t=" + timestamp + ",v1=" + HexFormat.of().formatHex(sig);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static ValidatableResponse send(String body, String signature) {
        return RestAssured.given().contentType("application/json; charset=utf-8").header("Stripe-Signature", signature)
                .body(body.getBytes(StandardCharsets.UTF_8)).post("/api/billing/webhook").then();
    }

    static ValidatableResponse deliver(String body) {
        return send(body, sign(body, now(), FakeStripe.WEBHOOK_SECRET)).statusCode(200).body("ok", equalTo(true));
    }

    static ValidatableResponse status(TestUsers.Created user) {
        return Api.as(user.apiKey()).get("/api/billing/status").then().statusCode(200);
    }

    static void link(long userId, String customer) {
        QuarkusTransaction.requiringNew().run(() -> io.quarkus.hibernate.orm.panache.Panache.getEntityManager()
                .createNativeQuery("insert into stripe_customers (user_id, customer_id) values (:u, :c)")
                .setParameter("u", userId).setParameter("c", customer).executeUpdate());
    }
}
