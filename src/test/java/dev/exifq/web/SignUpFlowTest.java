package dev.exifq.web;

import dev.exifq.testing.Browser;
import dev.exifq.platform.Ulid;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Sign up, sign out and sign in again in real Chromium, at desktop and phone width. */
@QuarkusTest
class SignUpFlowTest {
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
    void signUpSignOutSignIn() {
        String email = "browser-" + Ulid.next() + "@exifq.test";
        browser.desktop().open("/dashboard");
        browser.waitForPath("/sign-in");
        browser.screenshot("sign-in");
        browser.find("a[href='/sign-up']").click();
        browser.waitForPath("/sign-up");
        browser.find("#name").sendKeys("Ada Browser");
        browser.find("#email").sendKeys(email);
        browser.find("#password").sendKeys("short");
        browser.find("#auth-submit").click();
        browser.waitForText("#auth-error", "at least 8 characters");
        browser.screenshot("sign-up-error");
        browser.find("#password").sendKeys(" but now long enough");
        browser.find("#auth-submit").click();
        browser.waitForPath("/dashboard");
        browser.waitForText("#signed-in-as", "Ada Browser");
        browser.screenshot("dashboard-desktop");
        browser.phone().screenshot("dashboard-phone");
        browser.desktop();

        browser.find("#sign-out").click();
        browser.waitForPath("/");
        browser.open("/dashboard/keys");
        browser.waitForPath("/sign-in");
        assertEquals("next=%2Fdashboard%2Fkeys", java.net.URI.create(browser.driver().getCurrentUrl()).getRawQuery());
        browser.find("#email").sendKeys(email);
        browser.find("#password").sendKeys("short but now long enough");
        browser.find("#auth-submit").click();
        browser.waitForPath("/dashboard/keys");
        browser.open("/");
        browser.screenshot("home-signed-in");
    }
}
