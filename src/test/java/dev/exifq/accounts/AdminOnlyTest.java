package dev.exifq.accounts;

import dev.exifq.testing.Api;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import org.junit.jupiter.api.Test;

import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.hasItem;

@QuarkusTest
class AdminOnlyTest {

    @Test
    void usersGet403AdminsGetTheList() {
        AuthApi.Account user = AuthApi.signUp("notadmin", "pro");
        user.bearer().get("/api/admin/users").then().statusCode(403)
                .body("ok", equalTo(false)).body("error", equalTo("forbidden"));
        user.cookie().get("/api/admin/users").then().statusCode(403);
        RestAssured.given().header("Authorization", "Bearer " + AuthApi.addKey(user.id()))
                .get("/api/admin/users").then().statusCode(403);
        RestAssured.given().get("/api/admin/users").then().statusCode(401);

        Api.asAdmin().get("/api/admin/users?limit=200").then().statusCode(200)
                .body("ok", equalTo(true))
                .body("total", greaterThanOrEqualTo(2))
                .body("users.email", hasItem("admin@exifq.test"))
                .body("users[0].role", equalTo("admin"));
        AuthApi.Account admin = AuthApi.signIn("admin@exifq.test", "admin-password");
        admin.cookie().get("/api/admin/users?limit=1").then().statusCode(200).body("users.size()", equalTo(1));
        admin.bearer().get("/api/admin/users?limit=0").then().statusCode(400).body("error", equalTo("invalid_paging"));
    }
}
