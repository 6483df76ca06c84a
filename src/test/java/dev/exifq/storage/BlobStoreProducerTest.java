package dev.exifq.storage;

import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfigBuilder;
import org.eclipse.microprofile.config.Config;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.S3Client;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BlobStoreProducerTest {
    static S3TestServer server;

    @TempDir
    Path tmp;

    @BeforeAll
    static void startServer() throws Exception {
        server = S3TestServer.start();
    }

    @AfterAll
    static void stopServer() throws Exception {
        if (server != null) {
            server.close();
        }
    }

    Config config(Map<String, String> values) {
        Map<String, String> all = new HashMap<>(values);
        all.put("exifq.data-dir", tmp.toString());
        return new SmallRyeConfigBuilder().withSources(new PropertiesConfigSource(all, "test", 500)).build();
    }

    @Test
    void localDiskUnderTheDataDirByDefault() throws Exception {
        BlobStore store = BlobStoreProducer.create(config(Map.of()));
        assertInstanceOf(LocalDiskBlobStore.class, store);
        Path src = Files.write(tmp.resolve("src"), new byte[] {1});
        store.put("a/b.jpg", src, null);
        assertTrue(Files.isRegularFile(tmp.resolve("blobs/a/b.jpg")));
    }

    @Test
    void s3FromConfigCreatesTheBucketWhenAsked() throws Exception {
        Map<String, String> values = new HashMap<>(Map.of(
                "exifq.storage.type", "S3",
                "exifq.storage.s3.bucket", "exifq-created-at-startup",
                "exifq.storage.s3.endpoint", server.endpoint().toString(),
                "exifq.storage.s3.path-style", "true",
                "exifq.storage.s3.access-key", S3TestServer.ACCESS_KEY,
                "exifq.storage.s3.secret-key", S3TestServer.SECRET_KEY,
                "exifq.storage.s3.prefix", "prod",
                "exifq.storage.s3.create-bucket", "true"));
        values.put("exifq.storage.s3.region", "");  // blank, as ${EXIFQ_..:} gives: the default applies
        try (S3Client raw = server.rawClient();
             S3BlobStore store = (S3BlobStore) BlobStoreProducer.create(config(values))) {
            raw.headBucket(b -> b.bucket("exifq-created-at-startup"));
            Path src = Files.write(tmp.resolve("src"), new byte[] {4, 2});
            store.put("a/b.jpg", src, "image/jpeg");
            assertEquals(2, raw.headObject(b -> b.bucket("exifq-created-at-startup").key("prod/a/b.jpg")).contentLength());
            try (BlobStore.LocalCopy copy = store.localCopy("a/b.jpg")) {
                assertTrue(copy.path().startsWith(tmp.resolve("tmp")), "scratch defaults to <data-dir>/tmp");
                assertArrayEquals(new byte[] {4, 2}, Files.readAllBytes(copy.path()));
            }
            // a second node starting with the same config finds the bucket there
            try (S3BlobStore again = (S3BlobStore) BlobStoreProducer.create(config(values))) {
                assertTrue(again.exists("a/b.jpg"));
            }
        }
    }

    @Test
    void s3SettingsDefaultsAndScratchDir() {
        var settings = BlobStoreProducer.s3Settings(config(Map.of("exifq.storage.s3.bucket", "b",
                "exifq.storage.scratch-dir", tmp.resolve("scratch").toString())), tmp);
        assertEquals("us-east-1", settings.region());
        assertEquals(null, settings.endpoint());
        assertEquals(false, settings.pathStyle());
        assertEquals(false, settings.createBucket());
        assertEquals(null, settings.accessKey());
        assertEquals(tmp.resolve("scratch"), settings.scratchDir());
        assertTrue(!settings.toString().contains("secret"));
    }

    @Test
    void badConfigFailsAtStartup() {
        assertThrows(IllegalArgumentException.class,
                () -> BlobStoreProducer.create(config(Map.of("exifq.storage.type", "ftp"))));
        assertThrows(IllegalArgumentException.class,
                () -> BlobStoreProducer.create(config(Map.of("exifq.storage.type", "s3"))), "bucket is required");
        assertThrows(IllegalArgumentException.class, () -> BlobStoreProducer.create(config(Map.of(
                "exifq.storage.type", "s3", "exifq.storage.s3.bucket", "b",
                "exifq.storage.s3.access-key", "only-half"))));
    }

    @Test
    void credentialsAreNotShownInSettings() {
        var settings = new S3BlobStore.Settings("b", null, null, false, "AKIAEXAMPLE", "s3cr3t", null, tmp, false);
        assertTrue(!settings.toString().contains("AKIAEXAMPLE") && !settings.toString().contains("s3cr3t"));
    }
}
