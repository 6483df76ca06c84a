package dev.exifq.testing;

import io.restassured.RestAssured;
import io.restassured.specification.RequestSpecification;

/** REST Assured with the bootstrap admin's API key (set in the test profile). */
public final class Api {
    public static final String ADMIN_KEY = "exq_test_admin_key_0123456789abcdef";

    private Api() {}

    public static RequestSpecification asAdmin() {
        return as(ADMIN_KEY);
    }

    public static RequestSpecification as(String apiKey) {
        return RestAssured.given().header("Authorization", "Bearer " + apiKey);
    }
}
