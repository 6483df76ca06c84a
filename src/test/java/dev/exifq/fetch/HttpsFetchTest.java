package dev.exifq.fetch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;

/** https goes through the same guard, and a certificate nobody vouches for is refused for good. */
class HttpsFetchTest {

    @TempDir
    Path dir;

    @Test
    void untrustedCertificateIsAPermanentFailure() throws Exception {
        Path ks = dir.resolve("server.p12");
        Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-alias", "server", "-keyalg", "EC", "-groupname", "secp256r1",
                "-dname", "CN=localhost", "-ext", "san=ip:127.0.0.1", "-validity", "2",
                "-keystore", ks.toString(), "-storetype", "PKCS12", "-storepass", "changeit", "-keypass", "changeit")
                .redirectErrorStream(true).redirectOutput(dir.resolve("keytool.log").toFile()).start();
        assertEquals(true, keytool.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, keytool.exitValue(), () -> read(dir.resolve("keytool.log")));

        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(ks)) {
            store.load(in, "changeit".toCharArray());
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(store, "changeit".toCharArray());
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(kmf.getKeyManagers(), null, null);

        HttpsServer server = HttpsServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 10);
        server.setHttpsConfigurator(new HttpsConfigurator(tls));
        AtomicInteger hits = new AtomicInteger();
        server.createContext("/", ex -> {
            hits.incrementAndGet();
            ex.sendResponseHeaders(200, 2);
            ex.getResponseBody().write("ok".getBytes());
            ex.close();
        });
        server.start();
        try (UrlFetcher fetcher = new UrlFetcher(FetchSettings.defaults()
                .withTimeouts(Duration.ofSeconds(2), Duration.ofSeconds(2), Duration.ofSeconds(10))
                .withAllowedCidrs(List.of("127.0.0.0/8")))) {
            Path target = dir.resolve("t");
            String url = "https://127.0.0.1:" + server.getAddress().getPort() + "/x.jpg";
            FetchException e = assertThrows(FetchException.class, () -> fetcher.fetch(url, target));
            assertEquals("url_fetch_failed", e.code(), e::toString);
            assertFalse(e.transientFailure());
            assertEquals(0, hits.get(), "no request may be sent over an unverified connection");
            assertFalse(Files.exists(target));

            // without the allowlist the https URL is refused before the handshake
            try (UrlFetcher strict = new UrlFetcher(FetchSettings.defaults())) {
                assertEquals("url_not_allowed",
                        assertThrows(FetchException.class, () -> strict.fetch(url, target)).code());
            }
        } finally {
            server.stop(0);
        }
    }

    private static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (Exception e) {
            return e.toString();
        }
    }
}
