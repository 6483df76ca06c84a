package dev.exifq.accounts;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import org.junit.jupiter.api.Test;

import static org.hamcrest.Matchers.equalTo;

/** Other users' images and keys do not exist for you: 404, never 403. */
@QuarkusTest
class OwnershipTest {

    @Test
    void anotherUsersImageIs404WhateverTheCredential() {
        AuthApi.Account owner = AuthApi.signUp("imgowner");
        AuthApi.Account stranger = AuthApi.signUp("stranger");
        String strangerKey = AuthApi.addKey(stranger.id());
        String id = UsageLimitTest.upload(owner.cookie()).then().statusCode(202).extract().path("id");

        owner.bearer().get("/v1/images/" + id).then().statusCode(200).body("id", equalTo(id));
        owner.cookie().get("/v1/images/" + id).then().statusCode(200);
        stranger.bearer().get("/v1/images/" + id).then().statusCode(404).body("error", equalTo("not_found"));
        stranger.cookie().get("/v1/images/" + id).then().statusCode(404);
        RestAssured.given().header("Authorization", "Bearer " + strangerKey).get("/v1/images/" + id)
                .then().statusCode(404).body("ok", equalTo(false));
    }
}
