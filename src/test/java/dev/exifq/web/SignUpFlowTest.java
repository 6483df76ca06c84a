package dev.exifq.web;

import dev.exifq.testing.WithBrowser;
import dev.exifq.platform.Ulid;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Sign up, sign out and sign in again in real Chromium, at desktop and phone width. */
@QuarkusTest
class SignUpFlowTest extends WithBrowser {


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

    @Test
    void theHomePageTriesAPhotoWithoutAnAccount() {
        browser.driver().manage().deleteAllCookies();
        browser.desktop().open("/");
        browser.screenshot("home");
        browser.find("#try-file").sendKeys(dev.exifq.testing.Corpus.IMAGES.resolve("exifsamples__jpg__gps__DSCN0010.jpg").toString());
        browser.find("#try-submit").click();
        browser.waitForText("#try-result", "COOLPIX P6000");
        String map = browser.find("#try-result a").getAttribute("href");
        assertTrue(map.startsWith("https://www.openstreetmap.org/?mlat=43.46"), map);
        browser.screenshot("home-try-it");
        browser.phone().screenshot("home-try-it-phone");
        browser.desktop();
    }
}
