package dev.exifq.testing;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** Base of a browser test class: one {@link Browser} for all its tests (startup costs), closed after them. */
public abstract class WithBrowser {
    protected static Browser browser;

    @BeforeAll
    static void startBrowser() {
        browser = Browser.start();
    }

    @AfterAll
    static void closeBrowser() {
        browser.close();
    }
}
