package dev.exifq.web;

import com.sun.net.httpserver.HttpServer;
import dev.exifq.testing.Browser;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A page on another origin of the same site (localhost, another port: SameSite=Lax still sends the cookie)
 * auto-submits forms to our endpoints in the victim's signed-in browser. Each is refused 403 csrf_failed and the
 * session lives on. (The REST Assured side, token or not, is accounts.CsrfTest.)
 */
@QuarkusTest
class CrossSiteFormTest {
    static Browser browser;
    static HttpServer attacker;

    @BeforeAll
    static void start() throws IOException {
        browser = Browser.start();
        attacker = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 8);
        attacker.createContext("/", ex -> {
            String target = ex.getRequestURI().getQuery().substring("target=".length());
            String page = "<!DOCTYPE html><html><body><form id=f method=post action=\"" + target + "\">"
                    + "<input name=csrf value=guessed><input name=name value=stolen></form>"
                    + "<script>document.getElementById('f').submit()</script></body></html>";
            byte[] body = page.getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().set("Content-Type", "text/html; charset=utf-8");
            ex.sendResponseHeaders(200, body.length);
            try (OutputStream out = ex.getResponseBody()) {
                out.write(body);
            }
        });
        attacker.start();
    }

    @AfterAll
    static void stop() {
        browser.close();
        attacker.stop(0);
    }

    @Test
    void aFormFromAnotherOriginIsRefusedWithTheVictimsCookie() {
        browser.desktop().signUp("Victim");
        String session = browser.sessionCookie();
        for (String path : new String[] {"/sign-out", "/api/auth/sign-out", "/v1/images"}) {
            browser.open("http://localhost:" + attacker.getAddress().getPort() + "/?target=" + browser.base() + path);
            browser.waitForText("body", "csrf_failed");
            browser.screenshot("cross-site-refused" + path.replace('/', '-'));
        }
        RestAssured.given().cookie("exifq_session", session).get("/api/auth/session").then().statusCode(200);
        browser.open("/dashboard");
        assertTrue(browser.path().equals("/dashboard"), "still signed in: " + browser.path());
    }
}
