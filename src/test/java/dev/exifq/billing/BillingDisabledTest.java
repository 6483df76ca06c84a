package dev.exifq.billing;

import dev.exifq.testing.FakeStripe;
import dev.exifq.testing.SwitchedOffProfile;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import org.junit.jupiter.api.Test;


import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Without Stripe's secrets the billing endpoints answer 503 billing_disabled and call nothing. */
@QuarkusTest
@TestProfile(SwitchedOffProfile.class)
class BillingDisabledTest {
    @Test
    void everyStripeEndpointAnswers503WithoutCallingStripe() {
        StripeCheckoutTest.SignedIn user = StripeCheckoutTest.signUp();
        int before = FakeStripe.get().calls().size();
        for (String path : new String[]{"/api/billing/checkout", "/api/billing/portal"}) {
            user.request().post(path).then().statusCode(503).body("ok", equalTo(false))
                    .body("error", equalTo("billing_disabled"));
        }
        String body = StripeWebhookTest.event("evt_disabled", "customer.subscription.created", StripeWebhookTest.now(), "{}");
        RestAssured.given().contentType("application/json")
                .header("Stripe-Signature", StripeWebhookTest.sign(body, StripeWebhookTest.now(), FakeStripe.WEBHOOK_SECRET))
                .body(body).post("/api/billing/webhook").then().statusCode(503).body("error", equalTo("billing_disabled"));
        assertEquals(before, FakeStripe.get().calls().size());
        // the rest of billing works without Stripe
        user.request().get("/api/billing/status").then().statusCode(200).body("plan", equalTo("free"));
    }
}
