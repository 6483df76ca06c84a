package dev.exifq.fetch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * No allowlist: every spelling of an internal address is refused before any connection. A TCP listener on
 * 127.0.0.1 counts accepted connections, so "never contacted" means not even a TCP handshake.
 */
class BlockedAddressesTest {

    static ServerSocket listener;
    static final AtomicInteger connections = new AtomicInteger();
    static UrlFetcher fetcher;

    @TempDir
    Path dir;

    @BeforeAll
    static void start() throws IOException {
        listener = new ServerSocket();
        listener.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0));
        Thread t = new Thread(() -> {
            while (!listener.isClosed()) {
                try (Socket s = listener.accept()) {
                    connections.incrementAndGet();
                    s.getOutputStream().write("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nhi".getBytes());
                } catch (IOException e) {
                    // closed
                }
            }
        }, "connection-counter");
        t.setDaemon(true);
        t.start();
        fetcher = new UrlFetcher(FetchSettings.defaults()
                .withTimeouts(Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ofSeconds(3)));
    }

    @AfterAll
    static void stop() throws IOException {
        fetcher.close();
        listener.close();
    }

    @AfterEach
    void nothingWasContacted() {
        assertEquals(0, connections.get(), "the server must never be contacted");
    }

    FetchException refused(String url) {
        Path target = dir.resolve("t");
        FetchException e = assertThrows(FetchException.class, () -> fetcher.fetch(url, target));
        assertFalse(Files.exists(target));
        return e;
    }

    static void assertNotAllowed(FetchException e) {
        assertEquals("url_not_allowed", e.code(), e::toString);
        assertEquals(400, e.httpStatus());
        assertFalse(e.transientFailure());
        assertTrue(e.getMessage().startsWith("URL not allowed: the host is a"), e.getMessage());
        assertFalse(e.getMessage().matches(".*\\d+\\.\\d+\\.\\d+\\.\\d+.*"), "no addresses in: " + e.getMessage());
    }

    /** {port} is the listening counter: had any of these connected, the counter would show it. */
    @ParameterizedTest
    @ValueSource(strings = {
            "http://127.0.0.1:{port}/",
            "http://localhost:{port}/",
            "http://LocalHost:{port}/x.jpg",
            "http://2130706433:{port}/",
            "http://0x7f.1:{port}/",
            "http://0x7F000001:{port}/",
            "http://017700000001:{port}/",
            "http://0177.0.0.1:{port}/",
            "http://127.1:{port}/",
            "http://127.0.1:{port}/",
            "http://127.0.0.1.:{port}/",
            "http://１２７.０.０.１:{port}/",
            "http://[::ffff:127.0.0.1]:{port}/",
            "http://[::ffff:7f00:1]:{port}/",
            "http://[::127.0.0.1]:{port}/",
            "http://[64:ff9b::7f00:1]:{port}/",
            "http://[64:ff9b::127.0.0.1]:{port}/",
            "http://[2002:7f00:1::1]:{port}/",
            "http://[::1]:{port}/",
            "http://0.0.0.0:{port}/",
            "http://0:{port}/",
            "https://127.0.0.1:{port}/",
            "http://user:pw@127.0.0.1:{port}/",
            "http://example.com@127.0.0.1:{port}/",
    })
    void loopbackInAnySpellingIsRefused(String template) {
        assertNotAllowed(refused(template.replace("{port}", String.valueOf(listener.getLocalPort()))));
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "http://169.254.169.254/latest/meta-data/iam/",
            "http://[::ffff:169.254.169.254]/",
            "http://0xa9fea9fe/",
            "http://2852039166/",
            "http://100.64.0.1/",
            "http://[fd00::1]/",
            "http://[fc00::1]/",
            "http://[fe80::1]/",
            "http://[fec0::1]/",
            "http://[ff02::1]/",
            "http://[::]/",
            "http://[64:ff9b::7f00:1]/",
            "http://[64:ff9b::a9fe:a9fe]/",
            "http://[64:ff9b:1::a00:1]/",
            "http://[2001::1]/",
            "http://[2002:a00:1::1]/",
            "http://[2001:db8::1]/",
            "http://10.0.0.1/",
            "http://10.255.255.255:8080/",
            "http://172.16.0.1/",
            "http://172.31.1.1/",
            "http://192.168.1.1/",
            "http://224.0.0.1/",
            "http://255.255.255.255/",
            "http://240.0.0.1/",
            "http://198.18.0.1/",
            "http://192.0.2.1/",
            "http://203.0.113.5/",
    })
    void internalRangesAreRefused(String url) {
        assertNotAllowed(refused(url));
    }

    @Test
    void metadataMessageNamesTheReasonOnly() {
        FetchException e = refused("http://169.254.169.254/latest/meta-data/");
        assertEquals("URL not allowed: the host is a link-local address", e.getMessage());
        assertEquals("URL not allowed: the host is an unspecified (this-network) address",
                refused("http://0.0.0.0/").getMessage());
    }

    @Test
    void hostThatDoesNotResolveIsNotFound() {
        FetchException e = refused("http://no-such-host.invalid/x.jpg");
        assertTrue(e.code().equals("url_not_found") || e.code().equals("url_fetch_failed"), e::toString);
    }
}
