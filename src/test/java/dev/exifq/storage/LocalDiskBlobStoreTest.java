package dev.exifq.storage;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LocalDiskBlobStoreTest extends BlobStoreContract {

    @Override
    BlobStore newStore(Path dir) throws Exception {
        return new LocalDiskBlobStore(dir);
    }

    @Test
    void blobsAreFilesUnderTheRoot() throws Exception {
        String key = uniqueKey("original/canon.jpg");
        store.put(key, source(CANON_JPG), "image/jpeg");
        Path file = tmp.resolve("store").resolve(key);
        assertTrue(Files.isRegularFile(file));
        try (BlobStore.LocalCopy copy = store.localCopy(key)) {
            assertEquals(file, copy.path(), "no download: the copy is the blob itself");
        }
        assertTrue(Files.isRegularFile(file), "closing the copy leaves the blob alone");
    }

    @Test
    void noPresignedUrls() throws Exception {
        String key = uniqueKey("a.jpg");
        store.put(key, source(new byte[] {1}), "image/jpeg");
        assertNull(store.presignedGet(key, Duration.ofHours(24), "a.jpg"));
    }
}
