package dev.exifq.web;

import dev.exifq.testing.Api;
import dev.exifq.testing.Browser;
import dev.exifq.testing.Corpus;
import dev.exifq.testing.TestDb;
import dev.exifq.testing.TestUsers;
import dev.exifq.writes.ProcessedFiles;
import dev.exifq.writes.HistoryTest;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The admin pages in real Chromium (files and purge, feedback), kept from everyone else; /pricing and /docs. */
@QuarkusTest
class AdminPagesTest {
    static final String JPEG = "exifsamples__jpg__Canon_40D.jpg";
    static final String HOSTILE = "<script>alert(1)</script> and <img src=x onerror=alert(2)> in feedback";
    static Browser browser;

    @Inject
    ProcessedFiles processedFiles;

    @BeforeAll
    static void start() {
        browser = Browser.start();
    }

    @AfterAll
    static void stop() {
        browser.close();
    }

    String write(String apiKey, long userId, String name) throws Exception {
        Api.as(apiKey).multiPart("file", name, Files.readAllBytes(Corpus.image(JPEG)), "image/jpeg")
                .multiPart("title", "admin").post("/api/images/edit-exif").then().statusCode(200);
        return TestDb.string("select image_id from processed_files where user_id = ? and file_name = ?", userId, name);
    }

    @Test
    void theAdminPurgesExpiredAndDeletedFilesAndSeesTheCounts() throws Exception {
        TestUsers.Created user = TestUsers.create("pro");
        String expiring = write(user.apiKey(), user.userId(), "expiring.jpg");
        String deleted = write(user.apiKey(), user.userId(), "deleted.jpg");
        processedFiles.deleteForImage(deleted); // marked deleted now; the purge takes it a day later
        PageUsers.signIn(browser, PageUsers.ADMIN_EMAIL, PageUsers.ADMIN_PASSWORD);

        browser.open("/admin/files?userId=" + user.userId());
        assertEquals("available", browser.find("tr[data-id='" + expiring + "']").getAttribute("data-status"));
        assertEquals("deleted", browser.find("tr[data-id='" + deleted + "']").getAttribute("data-status"));
        WebElement download = browser.find("tr[data-id='" + expiring + "'] a");
        assertEquals("/api/admin/files/" + expiring + "/download", java.net.URI.create(download.getAttribute("href")).getPath());

        // two days on: one file expired a day ago, the other was marked deleted two days ago; both may be purged
        HistoryTest.clockAt(Instant.now().plus(Duration.ofHours(49)));
        long purgeable = processedFiles.purgeable();
        assertTrue(purgeable >= 2, "at least this test's two files: " + purgeable);
        browser.open("/admin/files?status=deleted&userId=" + user.userId());
        assertEquals(String.valueOf(purgeable), browser.find("#purgeable").getAttribute("data-count"));
        assertTrue(browser.find("#purgeable").getText().startsWith(purgeable + " files can be purged now"));
        assertEquals("expired", browser.find("tr[data-id='" + expiring + "']").getAttribute("data-status"));
        browser.screenshot("admin-files-before-purge");

        browser.find("#purge").click();
        WebElement result = browser.waitForVisible("#purge-result");
        int purged = Integer.parseInt(result.getAttribute("data-purged"));
        int failed = Integer.parseInt(result.getAttribute("data-failed"));
        assertEquals(purgeable, purged + failed, result.getText());
        assertTrue(result.getText().startsWith("Purged " + purged + " file"), result.getText());
        assertEquals(0, TestDb.count("select count(*) from processed_files where image_id in (?, ?)", expiring, deleted));
        browser.screenshot("admin-files-after-purge");
        browser.open("/admin/files?userId=" + user.userId());
        assertTrue(browser.find("#files-none").getText().contains("No files match"));
        browser.phone();
        browser.screenshot("admin-files-phone");
        browser.desktop();
    }

    @Test
    void hostileFeedbackIsShownAsTextOnTheAdminPage() {
        RestAssured.given().contentType("application/json").body(Map.of("type", "feature", "subject", "<b>bold</b>",
                "message", HOSTILE, "email", "eve@exifq.test", "name", "<i>Eve</i>")).post("/api/feedback")
                .then().statusCode(201);
        PageUsers.signIn(browser, PageUsers.ADMIN_EMAIL, PageUsers.ADMIN_PASSWORD);
        browser.open("/admin/feedback?type=feature");
        WebElement item = browser.find("#feedback-list .feedback-item");
        assertEquals(HOSTILE, item.findElement(By.cssSelector(".feedback-message")).getText());
        assertEquals("<b>bold</b>", item.findElement(By.cssSelector(".feedback-subject")).getText());
        assertTrue(item.getText().contains("<i>Eve</i>"), item.getText());
        assertTrue(browser.findAll("#feedback-list img, #feedback-list script, #feedback-list b, #feedback-list i").isEmpty());
        PageUsers.assertNoAlert(browser);
        browser.screenshot("admin-feedback");
    }

    @Test
    void nobodyButAnAdminGetsAnAdminPage() {
        PageUsers.Person p = PageUsers.signUp("not-admin", "pro");
        PageUsers.signIn(browser, p);
        for (String path : List.of("/admin/files", "/admin/feedback")) {
            browser.open(path);
            assertTrue(browser.findAll("#purge, #admin-files, #feedback-filter").isEmpty(), browser.bodyText());
            String cookie = browser.driver().manage().getCookieNamed("exifq_session").getValue();
            RestAssured.given().cookie("exifq_session", cookie).redirects().follow(false).get(path)
                    .then().statusCode(404).body("error", equalTo("not_found"));
            RestAssured.given().redirects().follow(false).get(path).then().statusCode(303);
        }
        browser.open("/dashboard/history");
        assertTrue(browser.find("nav").findElements(By.linkText("Admin: files")).isEmpty(), "no admin links in the navigation");
    }

    @Test
    void pricingAndDocsArePublic() {
        browser.driver().manage().deleteAllCookies();
        browser.open("/pricing");
        assertTrue(browser.find("#plan-free").getText().contains("5 images a day"));
        assertTrue(browser.find("#plan-pro").getText().contains("$9"));
        assertTrue(browser.find("#plan-pro a").getText().contains("Sign up"));
        browser.screenshot("pricing-desktop");
        browser.phone();
        browser.screenshot("pricing-phone");
        browser.desktop();

        browser.open("/docs");
        WebElement upload = browser.find("#post-v1-images");
        assertTrue(upload.getText().contains("POST /v1/images"), upload.getText());
        assertTrue(upload.getText().contains("Upload an image") || upload.getText().contains("Submit an image by URL"));
        WebElement history = browser.find("#get-api-images-history");
        assertTrue(history.getText().contains("Your last 50 processed files"), history.getText());
        history.findElement(By.tagName("summary")).click();
        assertTrue(history.findElement(By.tagName("pre")).getText().contains("\"downloadUrl\""));
        WebElement duplicates = browser.find("#get-v1-images-id-duplicates");
        assertTrue(duplicates.getText().contains("max_distance"), duplicates.getText());
        // examples holding markup are text: the admin files' HTML description mentions tables, nothing renders
        assertTrue(browser.findAll("main script, main iframe, main img").isEmpty());
        browser.screenshot("docs-desktop");
        browser.phone();
        browser.screenshot("docs-phone");
        browser.desktop();
    }
}
