package dev.exifq.billing;

import dev.exifq.testing.Api;
import dev.exifq.testing.TestUsers;
import dev.exifq.platform.Ulid;
import io.quarkus.hibernate.orm.panache.Panache;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** forgetUser, for account deletion: every billing row of the user goes, nobody else's. */
@QuarkusTest
class BillingRecordsTest {
    @Inject
    BillingRecords records;

    @Test
    void forgetsUsageSubscriptionsPlanChangesAndTheCustomerLink() {
        TestUsers.Created user = TestUsers.create("free");
        TestUsers.Created other = TestUsers.create("free");
        for (TestUsers.Created u : List.of(user, other)) {
            String customer = "cus_" + Ulid.next();
            StripeWebhookTest.link(u.userId(), customer);
            long t = StripeWebhookTest.now();
            StripeWebhookTest.deliver(StripeWebhookTest.subscriptionEvent("customer.subscription.created", t,
                    "sub_" + Ulid.next(), customer, "active", t + 86400));
            Api.asAdmin().contentType("application/json").body(Map.of("plan", "pro", "reason", "test"))
                    .post("/api/admin/users/" + u.userId() + "/plan").then().statusCode(200);
            QuarkusTransaction.requiringNew().run(() -> Panache.getEntityManager().createNativeQuery(
                    "insert into usage_daily (user_id, day, count) values (:u, current_date, 3)")
                    .setParameter("u", u.userId()).executeUpdate());
        }
        assertEquals(5, rows(user.userId()));

        assertTrue(records.forgetUser(user.userId()) >= 5);
        assertEquals(0, rows(user.userId()));
        assertEquals(5, rows(other.userId()));
        StripeWebhookTest.status(user).body("subscription", nullValue());
    }

    private static long rows(long userId) {
        return QuarkusTransaction.requiringNew().call(() -> ((Number) Panache.getEntityManager().createNativeQuery("""
                select (select count(*) from stripe_customers where user_id = :u)
                     + (select count(*) from subscriptions where user_id = :u)
                     + (select count(*) from plan_changes where user_id = :u)
                     + (select count(*) from usage_daily where user_id = :u)""")
                .setParameter("u", userId).getSingleResult()).longValue());
    }
}
