package dev.exifq.web;

import dev.exifq.platform.Ulid;
import dev.exifq.testing.Browser;
import dev.exifq.testing.TestDb;
import io.restassured.RestAssured;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** People for the page tests: signed up through the API, signed in through the browser's sign-in page. */
final class PageUsers {
    static final String PASSWORD = "correct horse battery";
    static final String ADMIN_EMAIL = "admin@exifq.test";
    static final String ADMIN_PASSWORD = "admin-password";

    private PageUsers() {}

    record Person(long id, String email, String token) {
        /** The API as this person, with their session token as the Bearer credential. */
        RequestSpecification api() {
            return RestAssured.given().header("Authorization", "Bearer " + token);
        }
    }

    static Person signUp(String tag, String plan) {
        String email = tag + "-" + Ulid.next() + "@exifq.test";
        Response r = RestAssured.given().contentType("application/json")
                .body(Map.of("email", email, "password", PASSWORD, "name", "Test " + tag))
                .post("/api/auth/sign-up/email");
        assertEquals(201, r.statusCode(), r.asString());
        long id = ((Number) r.path("user.id")).longValue();
        if (!"free".equals(plan)) {
            TestDb.update("update users set plan = ? where id = ?", plan, id);
        }
        return new Person(id, email, r.path("token"));
    }

    /** Signs the browser out of whoever it was, then in as this email, through /sign-in. */
    static void signIn(Browser browser, String email, String password) {
        browser.driver().manage().deleteAllCookies();
        browser.open("/sign-in");
        browser.find("#email").sendKeys(email);
        browser.find("#password").sendKeys(password);
        browser.find("#auth-submit").click();
        browser.waitForPath("/dashboard");
    }

    static void signIn(Browser browser, Person p) {
        signIn(browser, p.email(), PASSWORD);
    }

    /** No JavaScript dialog opened: an injected alert() would have left one. */
    static void assertNoAlert(Browser browser) {
        try {
            String text = browser.driver().switchTo().alert().getText();
            throw new AssertionError("an alert opened: " + text);
        } catch (org.openqa.selenium.NoAlertPresentException expected) {
            // nothing ran
        }
    }
}
