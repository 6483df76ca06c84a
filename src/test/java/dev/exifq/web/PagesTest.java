package dev.exifq.web;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import org.junit.jupiter.api.Test;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;

/** The page frame over plain HTTP: security headers, sign-in redirects, escaping. Browser tests are the rest. */
@QuarkusTest
class PagesTest {
    @Test
    void pagesCarryTheSecurityHeaders() {
        for (String path : new String[] {"/", "/sign-in", "/sign-up", "/static/app.css", "/api/auth/session"}) {
            RestAssured.given().redirects().follow(false).get(path).then()
                    .header("Content-Security-Policy", equalTo(SecurityHeaders.CONTENT_SECURITY_POLICY))
                    .header("X-Content-Type-Options", equalTo("nosniff"))
                    .header("Referrer-Policy", equalTo("same-origin"));
        }
        RestAssured.get("/q/health/ready").then().header("Content-Security-Policy", (String) null);
    }

    @Test
    void signedOutVisitorsAreSentToSignInAndBack() {
        RestAssured.given().redirects().follow(false).get("/dashboard/keys?x=1").then().statusCode(303)
                .header("Location", equalTo(RestAssured.baseURI + ":" + RestAssured.port + "/sign-in?next=%2Fdashboard%2Fkeys%3Fx%3D1"));
        RestAssured.get("/sign-in?next=https://evil.example/").then().statusCode(200)
                .body(containsString("data-next=\"/dashboard\"")).body(not(containsString("evil.example")));
        RestAssured.get("/sign-in?next=/x%22%3E%3Cscript%3Ealert(1)%3C/script%3E").then().statusCode(200)
                .body(not(containsString("<script>alert(1)")));
    }
}
