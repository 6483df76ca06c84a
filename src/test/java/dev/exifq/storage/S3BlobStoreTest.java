package dev.exifq.storage;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The S3 store against a real S3 server (S3Proxy, in this JVM), plus the shared contract. */
class S3BlobStoreTest extends BlobStoreContract {
    static final String BUCKET = "exifq-test";

    static S3TestServer server;
    static S3Client raw;
    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeAll
    static void startServer() throws Exception {
        server = S3TestServer.start();
        raw = server.rawClient();
    }

    @AfterAll
    static void stopServer() throws Exception {
        if (raw != null) {
            raw.close();
        }
        if (server != null) {
            server.close();
        }
    }

    @Override
    BlobStore newStore(Path dir) throws Exception {
        return S3BlobStore.connect(server.settings(BUCKET, null, dir.resolve("scratch")));
    }

    HttpResponse<byte[]> get(URI url) throws Exception {
        return http.send(HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(10)).GET().build(),
                HttpResponse.BodyHandlers.ofByteArray());
    }

    @Test
    void contentTypeIsStoredWithTheObject() throws Exception {
        String key = uniqueKey("canon.jpg");
        store.put(key, source(CANON_JPG), "image/jpeg");
        HeadObjectResponse head = raw.headObject(b -> b.bucket(BUCKET).key(key));
        assertEquals("image/jpeg", head.contentType());
        assertEquals(Files.size(CANON_JPG), head.contentLength());
    }

    @Test
    void withoutContentTypeTheServerDefaultApplies() throws Exception {
        String key = uniqueKey("blob.bin");
        store.put(key, source(new byte[] {1, 2}), null);
        String type = raw.headObject(b -> b.bucket(BUCKET).key(key)).contentType();
        assertTrue(type == null || type.endsWith("octet-stream"), type);
    }

    @Test
    void localCopyIsADownloadUnderTheScratchDirDeletedOnClose() throws Exception {
        String key = uniqueKey("original/canon.jpg");
        store.put(key, source(CANON_JPG), "image/jpeg");
        Path scratch = tmp.resolve("store/scratch").toAbsolutePath();
        Path copied;
        try (BlobStore.LocalCopy copy = store.localCopy(key)) {
            copied = copy.path();
            assertTrue(copied.startsWith(scratch), copied.toString());
            assertTrue(copied.getFileName().toString().endsWith(".jpg"), "keeps the extension: " + copied);
            assertArrayEquals(Files.readAllBytes(CANON_JPG), Files.readAllBytes(copied));
        }
        assertFalse(Files.exists(copied), "deleted on close");
        assertTrue(store.exists(key), "the blob stays");
    }

    @Test
    void failedDownloadLeavesNoScratchFile() throws Exception {
        assertThrows(NoSuchFileException.class, () -> store.localCopy(uniqueKey("missing.jpg")));
        try (Stream<Path> files = Files.list(tmp.resolve("store/scratch"))) {
            assertEquals(0, files.count());
        }
    }

    @Test
    void prefixGoesBeforeEveryKey() throws Exception {
        String key = uniqueKey("canon.jpg");
        try (S3BlobStore prefixed = S3BlobStore.connect(server.settings(BUCKET, "tenant-a/blobs", tmp.resolve("p")))) {
            prefixed.put(key, source(new byte[] {7}), "image/jpeg");
            assertTrue(prefixed.exists(key));
            assertEquals(1, raw.headObject(b -> b.bucket(BUCKET).key("tenant-a/blobs/" + key)).contentLength());
            assertFalse(store.exists(key), "the unprefixed store doesn't see it");
            prefixed.delete(key);
        }
        assertThrows(NoSuchKeyException.class, () -> raw.headObject(b -> b.bucket(BUCKET).key("tenant-a/blobs/" + key)));
    }

    @Test
    void unsafePrefixesAreRefused() {
        for (String prefix : new String[] {"../x", "/abs", "a/../b", "a//b", "a b", "a/./b"}) {
            assertThrows(IllegalArgumentException.class, () -> S3BlobStore.normalizePrefix(prefix), prefix);
        }
        assertEquals("", S3BlobStore.normalizePrefix(" "));
        assertEquals("exifq/Prod/", S3BlobStore.normalizePrefix("exifq/Prod"));
        assertEquals("exifq/", S3BlobStore.normalizePrefix("exifq/"));
    }

    @Test
    void presignedGetServesTheBytesWithoutCredentials() throws Exception {
        String key = uniqueKey("original/canon.jpg");
        store.put(key, source(CANON_JPG), "image/jpeg");
        URI url = store.presignedGet(key, Duration.ofMinutes(5), "Canon EOS \"40D\" ä.jpg");
        assertNotNull(url);
        assertTrue(url.getRawQuery().contains("X-Amz-Signature="), url.toString());

        HttpResponse<byte[]> response = get(url);
        assertEquals(200, response.statusCode(), () -> new String(response.body()));
        assertArrayEquals(Files.readAllBytes(CANON_JPG), response.body());
        assertEquals("image/jpeg", response.headers().firstValue("Content-Type").orElse(null));
        assertEquals("attachment; filename=\"Canon EOS _40D_ _.jpg\"; filename*=UTF-8''Canon%20EOS%20%2240D%22%20%C3%A4.jpg",
                response.headers().firstValue("Content-Disposition").orElse(null));
    }

    @Test
    void presignedGetWithoutFilenameHasNoDisposition() throws Exception {
        String key = uniqueKey("a.jpg");
        store.put(key, source(new byte[] {1}), "image/jpeg");
        HttpResponse<byte[]> response = get(store.presignedGet(key, Duration.ofMinutes(1), null));
        assertEquals(200, response.statusCode());
        assertFalse(response.headers().firstValue("Content-Disposition").isPresent());
    }

    @Test
    void presignedGetOfAMissingKeyAnswers404() throws Exception {
        assertEquals(404, get(store.presignedGet(uniqueKey("gone.jpg"), Duration.ofMinutes(1), "gone.jpg")).statusCode());
    }

    @Test
    void tamperedPresignedUrlIsRefused() throws Exception {
        String key = uniqueKey("a.jpg");
        store.put(key, source(new byte[] {1}), "image/jpeg");
        String url = store.presignedGet(key, Duration.ofMinutes(1), null).toString();
        URI otherKey = URI.create(url.replace("/a.jpg?", "/b.jpg?"));
        assertEquals(403, get(otherKey).statusCode());
    }

    @Test
    void presignedGetExpires() throws Exception {
        String key = uniqueKey("a.jpg");
        store.put(key, source(new byte[] {1}), "image/jpeg");
        // Signed together; only the lifetime differs. (Fetching the 1 s URL first would be flaky on a busy machine.)
        URI shortLived = store.presignedGet(key, Duration.ofSeconds(1), null);
        URI longLived = store.presignedGet(key, Duration.ofMinutes(5), null);
        Thread.sleep(2_500);
        HttpResponse<byte[]> expired = get(shortLived);
        assertEquals(403, expired.statusCode(), () -> new String(expired.body()));
        String error = new String(expired.body());
        assertTrue(error.contains("AccessDenied") && error.contains("Request has expired"), error);
        assertEquals(200, get(longLived).statusCode(), "the same URL with a longer lifetime still works");
    }

    @Test
    void presignedLifetimeIsBounded() {
        String key = uniqueKey("a.jpg");
        assertThrows(IllegalArgumentException.class, () -> store.presignedGet(key, Duration.ZERO, null));
        assertThrows(IllegalArgumentException.class, () -> store.presignedGet(key, Duration.ofSeconds(-1), null));
        assertThrows(IllegalArgumentException.class, () -> store.presignedGet(key, Duration.ofDays(8), null));
        assertThrows(IllegalArgumentException.class, () -> store.presignedGet(key, null, null));
    }

    @Test
    void wrongCredentialsAreAnErrorNotAMissingBlob() throws Exception {
        var bad = new S3BlobStore.Settings(BUCKET, S3TestServer.REGION, server.endpoint(), true,
                S3TestServer.ACCESS_KEY, "wrong-secret", null, tmp.resolve("bad"), false);
        try (S3BlobStore wrong = S3BlobStore.connect(bad)) {
            String key = uniqueKey("a.jpg");
            IOException e = assertThrows(IOException.class, () -> wrong.exists(key));
            assertFalse(e instanceof NoSuchFileException);
            IOException open = assertThrows(IOException.class, () -> wrong.open(key));
            assertFalse(open instanceof NoSuchFileException);
        }
    }

    @Test
    void missingBucketIsAnErrorNotAMissingBlob() throws Exception {
        var settings = new S3BlobStore.Settings("exifq-no-such-bucket", S3TestServer.REGION, server.endpoint(), true,
                S3TestServer.ACCESS_KEY, S3TestServer.SECRET_KEY, null, tmp.resolve("nb"), false);
        try (S3BlobStore noBucket = S3BlobStore.connect(settings)) {
            IOException open = assertThrows(IOException.class, () -> noBucket.open(uniqueKey("a.jpg")));
            assertFalse(open instanceof NoSuchFileException, open.toString());
            assertThrows(IOException.class, () -> noBucket.put(uniqueKey("a.jpg"), source(new byte[] {1}), null));
        }
    }

    @Test
    void contentDispositionCannotBeBrokenByTheFilename() {
        assertEquals("attachment; filename=\"a_b_c__d.jpg\"; filename*=UTF-8''a%3Bb%5Cc%0D%0Ad.jpg",
                S3BlobStore.contentDisposition("a;b\\c\r\nd.jpg"));
        assertEquals("attachment; filename=\"___.png\"; filename*=UTF-8''%E5%86%99%E7%9C%9F%25.png",
                S3BlobStore.contentDisposition("写真%.png"));
    }
}
