package dev.exifq.accounts;

import dev.exifq.testing.Api;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;

/** GET /api/admin/users?q=&plan=: support finds a user by email or name, or lists a plan's users. */
@QuarkusTest
class AdminUsersSearchTest {
    @Test
    void filtersByTextAndPlan() {
        AuthApi.Account pro = AuthApi.signUp("searchable_pro", "pro");
        AuthApi.Account free = AuthApi.signUp("searchable_free", "free");
        String tag = pro.email().substring(pro.email().indexOf('-') + 1, pro.email().indexOf('@'));

        Api.asAdmin().get("/api/admin/users?q=" + tag.toUpperCase()).then().statusCode(200)
                .body("total", equalTo(1)).body("users[0].email", equalTo(pro.email()));
        Api.asAdmin().get("/api/admin/users?q=searchable_&plan=pro&limit=200").then().statusCode(200)
                .body("users.email", hasItem(pro.email())).body("users.email", not(hasItem(free.email())))
                .body("users.plan", everyItem(equalTo("pro")));
        // by name (sign-up names users "Test <tag>"), and LIKE's wildcards are taken literally
        Api.asAdmin().get("/api/admin/users?q=TEST SEARCHABLE_FREE&limit=200").then().statusCode(200)
                .body("users.email", hasItem(free.email())).body("users.email", not(hasItem(pro.email())));
        Api.asAdmin().get("/api/admin/users?q=%25").then().statusCode(200).body("total", equalTo(0));
        Api.asAdmin().get("/api/admin/users?q=" + "x".repeat(201)).then().statusCode(400)
                .body("error", equalTo("invalid_query"));
    }
}
