package dev.exifq.billing;

import dev.exifq.testing.Api;
import dev.exifq.testing.FakeStripe;
import dev.exifq.testing.LogCapture;
import dev.exifq.testing.TestUsers;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import dev.exifq.platform.Ulid;
import io.restassured.RestAssured;
import io.restassured.specification.RequestSpecification;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Checkout and the Billing Portal drive the real stripe-java client against {@link FakeStripe}. */
@QuarkusTest
@QuarkusTestResource(FakeStripe.Resource.class)
class StripeCheckoutTest {

    @Test
    void checkoutCreatesTheCustomerOnceThenASubscriptionSessionForTheProPrice() {
        SignedIn user = signUp();
        FakeStripe stripe = FakeStripe.get();
        int customersBefore = stripe.calls("/v1/customers").size();
        int sessionsBefore = stripe.calls("/v1/checkout/sessions").size();

        String url = user.request().post("/api/billing/checkout").then().statusCode(200)
                .body("ok", equalTo(true)).extract().path("url");
        assertTrue(url.startsWith("https://checkout.stripe.com/c/pay/cs_test_fake"), url);

        List<FakeStripe.Call> customers = stripe.calls("/v1/customers");
        assertEquals(customersBefore + 1, customers.size());
        FakeStripe.Call customer = customers.get(customers.size() - 1);
        assertEquals("Bearer " + FakeStripe.API_KEY, customer.authorization());
        assertEquals(Long.toString(user.userId()), customer.params().get("metadata[exifq_user_id]"));
        assertTrue(customer.params().get("email").endsWith("@exifq.test"));

        FakeStripe.Call session = last(stripe.calls("/v1/checkout/sessions"));
        Map<String, String> p = session.params();
        assertEquals("POST", session.method());
        assertEquals("subscription", p.get("mode"));
        assertEquals(FakeStripe.PRICE, p.get("line_items[0][price]"));
        assertEquals("1", p.get("line_items[0][quantity]"));
        assertTrue(p.get("customer").startsWith("cus_fake"), p.toString());
        assertEquals(Long.toString(user.userId()), p.get("client_reference_id"));
        assertEquals(Long.toString(user.userId()), p.get("subscription_data[metadata][exifq_user_id]"));
        assertEquals("http://localhost:8080/account?checkout=success", p.get("success_url"));
        assertEquals("http://localhost:8080/pricing?checkout=cancelled", p.get("cancel_url"));

        // again: the same customer, no second one created
        user.request().post("/api/billing/checkout").then().statusCode(200);
        assertEquals(customersBefore + 1, stripe.calls("/v1/customers").size());
        assertEquals(sessionsBefore + 2, stripe.calls("/v1/checkout/sessions").size());
        assertEquals(p.get("customer"), last(stripe.calls("/v1/checkout/sessions")).params().get("customer"));
    }

    @Test
    void portalNeedsACustomerThenOpensASessionForIt() {
        SignedIn user = signUp();
        FakeStripe stripe = FakeStripe.get();
        int before = stripe.calls().size();
        user.request().post("/api/billing/portal").then().statusCode(400)
                .body("ok", equalTo(false)).body("error", equalTo("no_customer"));
        assertEquals(before, stripe.calls().size(), "no Stripe call without a customer");

        user.request().post("/api/billing/checkout").then().statusCode(200);
        String customer = last(stripe.calls("/v1/checkout/sessions")).params().get("customer");
        user.request().post("/api/billing/portal").then().statusCode(200)
                .body("ok", equalTo(true)).body("url", startsWith("https://billing.stripe.com/p/session/"));
        FakeStripe.Call portal = last(stripe.calls("/v1/billing_portal/sessions"));
        assertEquals(customer, portal.params().get("customer"));
        assertEquals("http://localhost:8080/account", portal.params().get("return_url"));
    }

    @Test
    void stripeRefusingIsA502AndTheKeyNeverReachesTheLog() {
        SignedIn user = signUp();
        FakeStripe stripe = FakeStripe.get();
        try (LogCapture log = LogCapture.open()) {
            stripe.failWith(400);
            user.request().post("/api/billing/checkout").then().statusCode(502)
                    .body("ok", equalTo(false)).body("error", equalTo("stripe_error"));
            stripe.failWith(0);
            user.request().post("/api/billing/checkout").then().statusCode(200);
            String text = log.text();
            assertTrue(text.contains("Stripe refused to create a customer"), text);
            assertFalse(text.contains(FakeStripe.API_KEY), "the API key was logged");
            assertFalse(text.contains(FakeStripe.WEBHOOK_SECRET), "the webhook secret was logged");
        } finally {
            stripe.failWith(0);
        }
    }

    @Test
    void anApiKeyCannotManageTheSubscription() {
        TestUsers.Created user = TestUsers.create("pro");
        int before = FakeStripe.get().calls().size();
        Api.as(user.apiKey()).post("/api/billing/checkout").then().statusCode(403).body("error", equalTo("session_required"));
        Api.as(user.apiKey()).post("/api/billing/portal").then().statusCode(403).body("error", equalTo("session_required"));
        assertEquals(before, FakeStripe.get().calls().size(), "no Stripe call for an API key");
    }

    /** Checkout and portal are for a signed-in person: a user signed up through the API, with their session. */
    record SignedIn(long userId, String token) {
        RequestSpecification request() {
            return RestAssured.given().header("Authorization", "Bearer " + token);
        }
    }

    static SignedIn signUp() {
        String email = "billing-" + Ulid.next() + "@exifq.test";
        io.restassured.response.Response r = RestAssured.given().contentType("application/json")
                .body(Map.of("email", email, "password", "correct horse battery", "name", "Billing"))
                .post("/api/auth/sign-up/email").then().statusCode(201).extract().response();
        return new SignedIn(((Number) r.path("user.id")).longValue(), r.path("token"));
    }

    @Test
    void needsCredentials() {
        RestAssured.given().post("/api/billing/checkout").then().statusCode(401);
        RestAssured.given().post("/api/billing/portal").then().statusCode(401);
    }

    private static FakeStripe.Call last(List<FakeStripe.Call> calls) {
        return calls.get(calls.size() - 1);
    }
}
