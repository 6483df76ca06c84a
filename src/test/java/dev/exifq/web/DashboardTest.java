package dev.exifq.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.exifq.metadata.ExifToolPool;
import dev.exifq.metadata.ExifToolTask;
import dev.exifq.testing.Browser;
import dev.exifq.testing.Corpus;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.NoAlertPresentException;
import org.openqa.selenium.WebElement;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Iterator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The dashboard in real Chromium: upload a corpus JPEG and see its camera and metadata, strip it and download
 * the processed file (checked with the pinned ExifTool), and metadata holding HTML shown as text.
 */
@QuarkusTest
class DashboardTest {
    private static final String XSS = "<img src=x onerror=alert(1)>";
    static Browser browser;
    static Path work;

    @Inject
    ExifToolPool exiftool;

    @BeforeAll
    static void start() throws Exception {
        browser = Browser.start();
        work = Files.createTempDirectory("exifq-dashboard-test");
    }

    @AfterAll
    static void stop() {
        browser.close();
    }

    @Test
    void uploadShowsTheCameraAndMetadataAndStripDownloadsAFileWithoutExif() throws Exception {
        browser.desktop().signUp("Dashboard user");
        Path photo = Files.copy(Corpus.IMAGES.resolve("exifsamples__jpg__Canon_40D.jpg"), work.resolve("canon-40d.jpg"),
                StandardCopyOption.REPLACE_EXISTING);
        browser.open("/dashboard");
        browser.find("#files").sendKeys(photo.toString());
        browser.find("#upload-submit").click();
        browser.waitForText("#r1 dd[data-fact='Camera']", "Canon EOS 40D");
        browser.waitForText("#r1 dd[data-fact='Taken']", "2008:05:30");
        assertTrue(browser.find("#r1 dd[data-fact='pHash']").getText().matches("[0-9a-f]{16}"));
        browser.find("#r1 details.metadata > summary").click();
        WebElement exif = openGroup("#r1", "EXIF");
        assertTrue(exif.getText().contains("Model: Canon EOS 40D"), exif.getText());
        browser.screenshot("dashboard-result");
        browser.phone().screenshot("dashboard-result-phone");
        browser.desktop();

        browser.find("#r1 details.edit-tools > summary").click();
        browser.find("#r1-strip-submit").click();
        WebElement download = browser.waitForVisible("#r1-strip a.download");
        assertEquals("Download canon-40d.jpg", download.getText());
        browser.screenshot("dashboard-strip");
        download.click();
        Path stripped = browser.awaitDownload("canon-40d.jpg");
        JsonNode tags = new ObjectMapper().readTree(exiftool.execute(ExifToolTask.builder().option("-json").option("-G1")
                .option("-EXIF:all").option("-XMP:all").option("-IPTC:all").option("-GPS:all").file(stripped.toAbsolutePath())
                .build()).stdout()).get(0);
        Iterator<String> names = tags.fieldNames();
        StringBuilder left = new StringBuilder();
        names.forEachRemaining(n -> left.append(n.equals("SourceFile") ? "" : n + " "));
        assertEquals("", left.toString().trim(), "metadata left in the stripped file");
        assertTrue(Files.size(stripped) > 1000 && Files.size(stripped) < Files.size(photo));
    }

    @Test
    void metadataHoldingHtmlIsShownAsText() throws Exception {
        browser.desktop().signUp("XSS target");
        Path hostile = work.resolve("hostile.jpg");
        Files.deleteIfExists(hostile);
        exiftool.execute(ExifToolTask.builder().option("-XMP-dc:Title=" + XSS).option("-o").value(hostile.toString())
                .file(Corpus.IMAGES.resolve("exifsamples__jpg__Canon_40D.jpg").toAbsolutePath()).build());
        assertTrue(Files.isRegularFile(hostile), "exiftool wrote the hostile copy");
        browser.open("/dashboard");
        browser.find("#files").sendKeys(hostile.toString());
        browser.find("#upload-submit").click();
        browser.waitForText("#r1 dd[data-fact='Camera']", "Canon EOS 40D");
        browser.find("#r1 details.metadata > summary").click();
        WebElement xmp = openGroup("#r1", "XMP");
        assertTrue(xmp.getText().contains("Title: " + XSS), xmp.getText());
        browser.driver().executeScript("arguments[0].scrollIntoView()", xmp);
        browser.screenshot("dashboard-xss-as-text");
        Thread.sleep(300); // an injected <img src=x> would have failed to load and fired its handler by now
        assertThrows(NoAlertPresentException.class, () -> browser.driver().switchTo().alert());
        assertEquals(0L, browser.driver().executeScript("return document.querySelectorAll('img[src=\"x\"], img[onerror]').length"));
        assertEquals(1, browser.findAll("#r1 img").size(), "only the thumbnail");
    }

    private static WebElement openGroup(String card, String group) {
        for (WebElement summary : browser.findAll(card + " details.metadata > details > summary")) {
            if (summary.getText().equals(group)) {
                summary.click();
                return summary.findElement(org.openqa.selenium.By.xpath(".."));
            }
        }
        throw new AssertionError("no metadata group " + group + " in " + browser.find(card).getText());
    }
}
