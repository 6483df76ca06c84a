package dev.exifq.testing;

import dev.exifq.accounts.ApiKey;
import dev.exifq.accounts.ApiKeys;
import dev.exifq.accounts.User;
import dev.exifq.platform.Ulid;
import io.quarkus.narayana.jta.QuarkusTransaction;

/** Creates users with API keys straight in the database, for tests that need a second caller. */
public final class TestUsers {
    private TestUsers() {}

    public record Created(long userId, String apiKey) {}

    public static Created create(String plan) {
        return QuarkusTransaction.requiringNew().call(() -> {
            User u = new User();
            u.email = "user-" + Ulid.next() + "@exifq.test";
            u.name = "Test user";
            u.plan = plan;
            u.persist();
            String raw = ApiKeys.generate();
            ApiKey key = new ApiKey();
            key.id = Ulid.next();
            key.userId = u.id;
            key.name = "test";
            key.keyHash = ApiKeys.hash(raw);
            key.last4 = ApiKeys.last4(raw);
            key.persist();
            return new Created(u.id, raw);
        });
    }
}
