package dev.exifq.testing;

import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Debian's headless Chromium driven through its chromedriver, for the dashboard's end-to-end tests. Never a
 * downloaded browser: the driver path is set, so Selenium Manager does not run. Each browser has a fresh
 * profile and download folder (deleted on close). Start one per test class: startup takes a second or two.
 *
 * <pre>
 * static Browser browser;
 * &#64;BeforeAll static void start() { browser = Browser.start(); }   // base URL: the Quarkus test port
 * &#64;AfterAll static void stop() { browser.close(); }
 * browser.open("/sign-in"); browser.find("#email").sendKeys("..."); browser.waitForText("#signed-in-as", "Ada");
 * browser.screenshot("sign-in");                                   // target/screenshots/sign-in.png
 * </pre>
 */
public final class Browser implements AutoCloseable {
    public static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    public static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    public static final Dimension DESKTOP = new Dimension(1280, 900);
    public static final Dimension PHONE = new Dimension(390, 844);
    private static final Path SCREENSHOTS = Path.of("target", "screenshots");
    private static final Duration WAIT = Duration.ofSeconds(20);

    private final ChromeDriver driver;
    private final String base;
    private final Path profile;
    private final Path downloads;

    private Browser(ChromeDriver driver, String base, Path profile, Path downloads) {
        this.driver = driver;
        this.base = base;
        this.profile = profile;
        this.downloads = downloads;
    }

    /**
     * A browser for the application under test: on localhost, at the port Quarkus gives REST Assured (read when a
     * page is opened: in {@code @BeforeAll} it is not set yet).
     */
    public static Browser start() {
        return start(null);
    }

    public static Browser start(String baseUrl) {
        if (!Files.isExecutable(CHROMIUM) || !Files.isExecutable(CHROMEDRIVER)) {
            throw new IllegalStateException("The browser tests need Debian's chromium and chromium-driver ("
                    + CHROMIUM + ", " + CHROMEDRIVER + "): run scripts/check-prerequisites --tests as root, or "
                    + "sudo apt-get install chromium chromium-driver");
        }
        System.setProperty("webdriver.chrome.driver", CHROMEDRIVER.toString());
        try {
            Path profile = Files.createTempDirectory("exifq-chromium-profile");
            Path downloads = Files.createTempDirectory("exifq-chromium-downloads");
            ChromeOptions options = new ChromeOptions();
            options.setBinary(CHROMIUM.toFile());
            options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic",
                    "--no-first-run", "--disable-background-networking", "--disable-component-update",
                    "--disable-sync", "--disable-dev-shm-usage", "--user-data-dir=" + profile,
                    "--window-size=" + DESKTOP.width + "," + DESKTOP.height);
            options.setExperimentalOption("prefs", Map.of(
                    "download.default_directory", downloads.toString(),
                    "download.prompt_for_download", false,
                    "safebrowsing.enabled", false));
            ChromeDriverService service = new ChromeDriverService.Builder()
                    .usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort().build();
            ChromeDriver driver = new ChromeDriver(service, options);
            driver.manage().timeouts().pageLoadTimeout(WAIT).scriptTimeout(WAIT);
            return new Browser(driver, baseUrl, profile, downloads);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public ChromeDriver driver() {
        return driver;
    }

    public String base() {
        return base != null ? base : "http://localhost:" + io.restassured.RestAssured.port;
    }

    /** Opens a path of the application (or a full URL). */
    public Browser open(String pathOrUrl) {
        driver.get(pathOrUrl.startsWith("http") ? pathOrUrl : base() + pathOrUrl);
        return this;
    }

    public String path() {
        return java.net.URI.create(driver.getCurrentUrl()).getPath();
    }

    public Browser desktop() {
        driver.manage().window().setSize(DESKTOP);
        return this;
    }

    public Browser phone() {
        driver.manage().window().setSize(PHONE);
        return this;
    }

    /** The first element matching the CSS selector, once it is there (waits up to 20 s). */
    public WebElement find(String css) {
        return new WebDriverWait(driver, WAIT).until(ExpectedConditions.presenceOfElementLocated(By.cssSelector(css)));
    }

    public List<WebElement> findAll(String css) {
        return driver.findElements(By.cssSelector(css));
    }

    /** Waits until the element matching the CSS selector is visible and its text contains {@code text}. */
    public WebElement waitForText(String css, String text) {
        WebDriverWait wait = new WebDriverWait(driver, WAIT);
        wait.withMessage(() -> "'" + text + "' in " + css + "; page text: " + bodyText());
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector(css), text));
        return driver.findElement(By.cssSelector(css));
    }

    public WebElement waitForVisible(String css) {
        return new WebDriverWait(driver, WAIT).until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector(css)));
    }

    public void waitForPath(String path) {
        new WebDriverWait(driver, WAIT).withMessage(() -> "path " + path + ", at " + driver.getCurrentUrl())
                .until(d -> path.equals(path()));
    }

    public String bodyText() {
        try {
            return driver.findElement(By.tagName("body")).getText();
        } catch (RuntimeException e) {
            return "(no body: " + e.getMessage() + ")";
        }
    }

    /** Saves the visible page as target/screenshots/NAME.png, for review. */
    public Path screenshot(String name) {
        try {
            Files.createDirectories(SCREENSHOTS);
            Path target = SCREENSHOTS.resolve(name + ".png");
            File shot = driver.getScreenshotAs(OutputType.FILE);
            Files.copy(shot.toPath(), target, StandardCopyOption.REPLACE_EXISTING);
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static final String PASSWORD = "correct horse battery";

    /** Signs up a new account through /sign-up (ends on /dashboard); returns its email. */
    public String signUp(String name) {
        String email = "browser-" + dev.exifq.platform.Ulid.next() + "@exifq.test";
        open("/sign-up");
        find("#name").sendKeys(name);
        find("#email").sendKeys(email);
        find("#password").sendKeys(PASSWORD);
        find("#auth-submit").click();
        waitForPath("/dashboard");
        return email;
    }

    /** Signs in through /sign-in (ends on /dashboard). */
    public void signIn(String email, String password) {
        open("/sign-in");
        find("#email").sendKeys(email);
        find("#password").sendKeys(password);
        find("#auth-submit").click();
        waitForPath("/dashboard");
    }

    /** The session cookie's value (the JWT), to call the API as this browser's user. */
    public String sessionCookie() {
        org.openqa.selenium.Cookie c = driver.manage().getCookieNamed("exifq_session");
        return c == null ? null : c.getValue();
    }

    /** This browser's download folder. */
    public Path downloads() {
        return downloads;
    }

    /** Waits for a finished download (no .crdownload left) named {@code name} in the download folder. */
    public Path awaitDownload(String name) {
        Path file = downloads.resolve(name);
        new WebDriverWait(driver, WAIT).withMessage(() -> "download " + name + " in " + list(downloads))
                .until(d -> Files.isRegularFile(file) && !Files.exists(downloads.resolve(name + ".crdownload")));
        return file;
    }

    private static List<String> list(Path dir) {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).toList();
        } catch (IOException e) {
            return List.of(e.toString());
        }
    }

    @Override
    public void close() {
        try {
            driver.quit();
        } finally {
            delete(profile);
            delete(downloads);
        }
    }

    private static void delete(Path dir) {
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a temp folder left behind is no reason to fail a test
        }
    }
}
