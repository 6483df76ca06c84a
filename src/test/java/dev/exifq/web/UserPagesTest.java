package dev.exifq.web;

import dev.exifq.duplicates.Transforms;
import dev.exifq.testing.Browser;
import dev.exifq.testing.Corpus;
import dev.exifq.testing.TestDb;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The signed-in person's pages in real Chromium: history, billing at the free limit, duplicates, feedback. */
@QuarkusTest
class UserPagesTest {
    static final String JPEG = "exifsamples__jpg__Canon_40D.jpg";
    static final String HOSTILE_NAME = "<img src=x onerror=alert(1)>.jpg";
    static Browser browser;

    @BeforeAll
    static void start() {
        browser = Browser.start();
    }

    @AfterAll
    static void stop() {
        browser.close();
    }

    static String write(PageUsers.Person p, String fileName) throws Exception {
        p.api().multiPart("file", fileName, Files.readAllBytes(Corpus.image(JPEG)), "image/jpeg")
                .multiPart("title", "history").post("/api/images/edit-exif").then().statusCode(200);
        return TestDb.string("select image_id from processed_files where user_id = ? order by created_at desc limit 1", p.id());
    }

    @Test
    void historyCountsDownAvailableRowsAndShowsExpiredOnesAsExpired() throws Exception {
        PageUsers.Person p = PageUsers.signUp("history", "free");
        String expired = write(p, HOSTILE_NAME);
        String soon = write(p, "soon.jpg");
        String fresh = write(p, "fresh.jpg");
        TestDb.update("update processed_files set expires_at = now() - interval '1 minute' where image_id = ?", expired);

        PageUsers.signIn(browser, p);
        TestDb.update("update processed_files set expires_at = now() + interval '10 seconds' where image_id = ?", soon);
        browser.open("/dashboard/history");
        WebElement freshRow = browser.find("tr[data-id='" + fresh + "']");
        assertTrue(freshRow.findElement(By.cssSelector(".countdown")).getText().matches("23 h 5\\d min left"),
                freshRow.getText());
        assertEquals("/api/images/history/" + fresh + "/download",
                java.net.URI.create(freshRow.findElement(By.linkText("Download")).getAttribute("href")).getPath());

        WebElement expiredRow = browser.find("tr[data-id='" + expired + "']");
        assertEquals("expired", expiredRow.getAttribute("data-status"));
        assertTrue(expiredRow.getText().contains("Expired"), expiredRow.getText());
        assertTrue(expiredRow.findElements(By.tagName("a")).isEmpty(), "no download link on an expired row");
        // the hostile file name is text: no element came of it, no script ran
        String storedName = TestDb.string("select file_name from processed_files where image_id = ?", expired);
        assertTrue(storedName.startsWith("<img src"), storedName);
        assertEquals(storedName, expiredRow.findElement(By.cssSelector(".file")).getText());
        assertTrue(browser.findAll("#history img").isEmpty());
        PageUsers.assertNoAlert(browser);

        // live: the row about to expire counts seconds, then turns expired without a reload
        WebElement soonRow = browser.find("tr[data-id='" + soon + "']");
        String first = soonRow.findElement(By.cssSelector(".countdown")).getText();
        assertTrue(first.matches("\\d+ s left"), first);
        browser.screenshot("history-desktop");
        browser.waitForText("tr[data-id='" + soon + "'] .download", "Expired");
        assertEquals("expired", soonRow.getAttribute("data-status"));
        assertTrue(soonRow.findElements(By.tagName("a")).isEmpty());
        p.api().get("/api/images/history/" + soon + "/download").then().statusCode(410);
        browser.phone();
        browser.screenshot("history-phone");
        browser.desktop();
    }

    @Test
    void theFreeLimitShowsTheUpgradePromptLeadingToPricing() throws Exception {
        PageUsers.Person p = PageUsers.signUp("limit", "free");
        for (int i = 0; i < 5; i++) {
            p.api().multiPart("file", Corpus.uniqueCopy(JPEG).toFile(), "image/jpeg").multiPart("async", "true")
                    .post("/v1/images").then().statusCode(202);
        }
        p.api().multiPart("file", Corpus.image(JPEG).toFile(), "image/jpeg").multiPart("async", "true")
                .post("/v1/images").then().statusCode(429).body("upgradeUrl", equalTo("/pricing"));

        PageUsers.signIn(browser, p);
        browser.open("/dashboard/billing");
        assertEquals("Free", browser.find("#plan-name").getText());
        WebElement meter = browser.find("#usage-meter");
        assertEquals("5", meter.getAttribute("value"));
        assertEquals("5", meter.getAttribute("max"));
        assertTrue(browser.find("#usage-text").getText().startsWith("5 of 5 images used today"));
        WebElement prompt = browser.waitForVisible("#upgrade-prompt");
        assertTrue(prompt.getText().contains("You have used all 5 images for today"), prompt.getText());
        assertTrue(browser.findAll("#portal").isEmpty(), "no billing account yet, nothing to manage");
        browser.screenshot("billing-limit-desktop");
        browser.phone();
        browser.screenshot("billing-limit-phone");
        browser.desktop();

        prompt.findElement(By.linkText("Upgrade your plan")).click();
        browser.waitForPath("/pricing");
        assertTrue(browser.find("#plan-free").getText().contains("Your plan"));
        assertTrue(browser.find("#plan-free").getText().contains("5 images a day"));
        assertTrue(browser.find("#plan-pro").getText().contains("300 images a day"));
        assertTrue(browser.find("#plan-pro").getText().contains("API keys for your own programs"));
        browser.screenshot("pricing-signed-in");

        // the test profile's Stripe is FakeStripe: Upgrade asks our API for a Checkout URL and goes there
        browser.find("#plan-pro a").click();
        browser.waitForPath("/dashboard/billing");
        browser.find("#checkout").click();
        new org.openqa.selenium.support.ui.WebDriverWait(browser.driver(), java.time.Duration.ofSeconds(20))
                .until(d -> d.getCurrentUrl().startsWith("https://checkout.stripe.com/c/pay/cs_test_fake"));
    }

    @Test
    void duplicatesShowsANearDuplicatePairSideBySideWithItsDistance() throws Exception {
        PageUsers.Person p = PageUsers.signUp("dups", "free");
        Path photo = Corpus.image("exifsamples__jpg__gps__DSCN0010.jpg");
        File half = Transforms.halfSize(photo, "web-dups-half.jpg");
        String original = p.api().multiPart("file", photo.toFile(), "image/jpeg").post("/v1/images")
                .then().statusCode(200).body("status", equalTo("processed")).extract().path("id");
        String smaller = p.api().multiPart("file", half, "image/jpeg").post("/v1/images")
                .then().statusCode(200).body("status", equalTo("processed")).extract().path("id");
        JsonPath api = p.api().get("/v1/images/" + original + "/duplicates").then().statusCode(200).extract().jsonPath();
        assertEquals(smaller, api.getString("similar[0].id"));
        int distance = api.getInt("similar[0].distance");

        PageUsers.signIn(browser, p);
        browser.open("/dashboard/duplicates");
        new Select(browser.find("#duplicates-image")).selectByValue(original);
        browser.find("#duplicates-submit").click();
        WebElement card = browser.find("#duplicates .dup-card[data-id='" + smaller + "']");
        assertEquals(String.valueOf(distance), card.getAttribute("data-distance"));
        assertTrue(card.getText().contains("Distance " + distance + " of 64 bits"), card.getText());
        assertTrue(card.getText().contains("web-dups-half.jpg"), card.getText());
        assertTrue(browser.find("#duplicates .dup-card.subject").getText().contains("DSCN0010.jpg"));
        // both thumbnails are the originals, loaded through the owner's session
        List<WebElement> thumbs = browser.findAll("#duplicates img.dup-thumb");
        assertEquals(2, thumbs.size());
        for (WebElement img : thumbs) {
            Object loaded = browser.driver().executeAsyncScript("var img = arguments[0], done = arguments[1];"
                    + "if (img.complete) done(img.naturalWidth); else img.onload = img.onerror = function () { done(img.naturalWidth); };", img);
            assertTrue(((Number) loaded).intValue() > 0, "thumbnail loaded: " + img.getAttribute("src"));
        }
        browser.screenshot("duplicates-desktop");
        browser.phone();
        browser.screenshot("duplicates-phone");
        browser.desktop();
    }

    @Test
    void feedbackIsSentFromTheFormAndErrorsShowTheServersMessage() {
        PageUsers.Person p = PageUsers.signUp("feedback", "free");
        PageUsers.signIn(browser, p);
        browser.open("/dashboard/feedback");
        browser.find("#feedback-message").sendKeys("short");
        browser.find("#feedback-submit").click();
        assertTrue(browser.waitForVisible("#feedback-error").getText().contains("'message' needs 10 to 5000 characters"));
        browser.find("#feedback-subject").sendKeys("Exports");
        browser.find("#feedback-message").sendKeys(" of it: please add CSV exports");
        browser.find("#feedback-submit").click();
        browser.waitForText("#feedback-done", "Thank you");
        assertFalse(browser.find("#feedback-error").isDisplayed());
        assertEquals(1, TestDb.count("select count(*) from feedback where user_id = ? and subject = 'Exports' "
                + "and message = 'short of it: please add CSV exports' and source_path = '/dashboard/feedback'", p.id()));
        browser.screenshot("feedback");
    }
}
