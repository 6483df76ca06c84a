package dev.exifq.storage;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What every {@link BlobStore} must do, run against each implementation by a subclass. */
abstract class BlobStoreContract {
    static final Path CORPUS = Path.of(System.getProperty("exifq.corpus", "../shared/corpus")).toAbsolutePath().normalize();
    static final Path CANON_JPG = CORPUS.resolve("images/exiftool__Canon.jpg");

    @TempDir
    Path tmp;
    BlobStore store;

    /** A fresh store whose working files (if any) live under {@code dir}. */
    abstract BlobStore newStore(Path dir) throws Exception;

    @BeforeEach
    void openStore() throws Exception {
        store = newStore(tmp.resolve("store"));
    }

    @AfterEach
    void closeStore() throws Exception {
        if (store instanceof AutoCloseable c) {
            c.close();
        }
    }

    /** Keys no other test (or earlier run against the same server) uses. */
    static String uniqueKey(String name) {
        return "t-" + UUID.randomUUID() + "/" + name;
    }

    /** A copy of a file to hand to put, which takes its source over. */
    Path source(Path original) throws IOException {
        Path copy = Files.createTempFile(tmp, "src", ".tmp");
        Files.copy(original, copy, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        return copy;
    }

    Path source(byte[] bytes) throws IOException {
        return Files.write(Files.createTempFile(tmp, "src", ".tmp"), bytes);
    }

    static byte[] readAll(InputStream in) throws IOException {
        try (in) {
            return in.readAllBytes();
        }
    }

    @Test
    void corpusImageRoundTripsByteForByte() throws Exception {
        byte[] expected = Files.readAllBytes(CANON_JPG);
        assertTrue(expected.length > 1000, "the corpus image is there");
        String key = uniqueKey("original/canon.jpg");

        assertFalse(store.exists(key));
        store.put(key, source(CANON_JPG), "image/jpeg");

        assertTrue(store.exists(key));
        assertArrayEquals(expected, readAll(store.open(key)));
        try (BlobStore.LocalCopy copy = store.localCopy(key)) {
            assertTrue(Files.isRegularFile(copy.path()));
            assertArrayEquals(expected, Files.readAllBytes(copy.path()));
        }
        // the blob outlives the local copy
        assertArrayEquals(expected, readAll(store.open(key)));

        store.delete(key);
        assertFalse(store.exists(key));
        assertThrows(NoSuchFileException.class, () -> store.open(key));
    }

    @Test
    void putTakesTheSourceOver() throws Exception {
        Path src = source("taken over".getBytes(StandardCharsets.UTF_8));
        String key = uniqueKey("a.txt");
        store.put(key, src, "text/plain");
        assertFalse(Files.exists(src), "the source is moved or removed, not left behind");
        assertEquals("taken over", new String(readAll(store.open(key)), StandardCharsets.UTF_8));
    }

    @Test
    void putReplacesAnExistingBlob() throws Exception {
        String key = uniqueKey("same.bin");
        store.put(key, source(new byte[] {1, 2, 3}), null);
        store.put(key, source(new byte[] {4, 5}), null);
        assertArrayEquals(new byte[] {4, 5}, readAll(store.open(key)));
    }

    @Test
    void emptyBlob() throws Exception {
        String key = uniqueKey("empty.bin");
        store.put(key, source(new byte[0]), null);
        assertTrue(store.exists(key));
        assertArrayEquals(new byte[0], readAll(store.open(key)));
        try (BlobStore.LocalCopy copy = store.localCopy(key)) {
            assertEquals(0, Files.size(copy.path()));
        }
    }

    @Test
    void deepestAllowedKey() throws Exception {
        String key = uniqueKey("b/c/d/e.jpg");
        store.put(key, source(new byte[] {9}), "image/jpeg");
        assertArrayEquals(new byte[] {9}, readAll(store.open(key)));
    }

    @Test
    void missingKey() throws Exception {
        String key = uniqueKey("missing.jpg");
        assertFalse(store.exists(key));
        IOException open = assertThrows(IOException.class, () -> readAll(store.open(key)));
        assertTrue(open instanceof NoSuchFileException, "open: " + open);
        IOException copy = assertThrows(IOException.class, () -> store.localCopy(key));
        assertTrue(copy instanceof NoSuchFileException, "localCopy: " + copy);
        assertDoesNotThrow(() -> store.delete(key), "deleting what is gone is fine");
    }

    @ParameterizedTest
    @ValueSource(strings = {"../x", "/abs", "a/../../b", "Upper.jpg", "a/B.jpg", "", "a//b", "a/./b", "x/..",
            "a\\b", "a b", "a/b/", "%2e%2e/x", "a/b/c/d/e/f"})
    void unsafeKeysAreRefused(String key) throws Exception {
        Path src = source(new byte[] {1});
        assertThrows(IllegalArgumentException.class, () -> store.put(key, src, null));
        assertTrue(Files.exists(src), "nothing happened to the source");
        assertThrows(IllegalArgumentException.class, () -> store.open(key));
        assertThrows(IllegalArgumentException.class, () -> store.localCopy(key));
        assertThrows(IllegalArgumentException.class, () -> store.exists(key));
        assertThrows(IllegalArgumentException.class, () -> store.delete(key));
        assertThrows(IllegalArgumentException.class, () -> store.presignedGet(key, Duration.ofMinutes(1), "x.jpg"));
    }

    @Test
    void nullKeyIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> store.exists(null));
        assertThrows(IllegalArgumentException.class, () -> store.open(null));
    }
}
