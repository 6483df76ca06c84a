package dev.exifq.web;

import dev.exifq.accounts.User;
import dev.exifq.testing.Browser;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** /dashboard/keys in real Chromium: free users see the upgrade message; a pro user creates, uses and revokes a key. */
@QuarkusTest
class KeysPageTest {
    static Browser browser;

    @BeforeAll
    static void start() {
        browser = Browser.start();
    }

    @AfterAll
    static void stop() {
        browser.close();
    }

    @Test
    void createUseAndRevokeAKey() {
        String email = browser.desktop().signUp("Key maker");
        browser.open("/dashboard/keys");
        browser.find("#key-name").sendKeys("laptop");
        browser.find("#key-create").click();
        browser.waitForText("#key-error", "Pro plan");
        browser.find("#key-error a[href='/pricing']");
        browser.screenshot("keys-free");

        QuarkusTransaction.requiringNew().run(() -> User.update("plan = 'pro' where email = ?1", email));
        browser.open("/dashboard/keys");
        browser.waitForVisible("#keys-empty");
        browser.find("#key-name").sendKeys("laptop");
        browser.find("#key-create").click();
        String key = browser.waitForText("#key-value", "exq_").getText();
        browser.find("#key-copy").click();
        browser.waitForText("#key-copied", "C"); // "Copied." or the select-and-press fallback
        browser.waitForText("#keys-body", "laptop");
        assertTrue(browser.find("#keys-body").getText().contains("exq_…" + key.substring(key.length() - 4)));
        browser.screenshot("keys-created");
        browser.phone().screenshot("keys-phone");
        browser.desktop();

        RestAssured.given().header("Authorization", "Bearer " + key).get("/api/auth/session").then().statusCode(200);
        browser.find("#keys-body button[data-key-id]").click();
        browser.driver().switchTo().alert().accept();
        browser.waitForVisible("#keys-empty");
        RestAssured.given().header("Authorization", "Bearer " + key).get("/api/auth/session").then().statusCode(401);
    }
}
