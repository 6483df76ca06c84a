package dev.exifq.images;

import dev.exifq.testing.Api;
import dev.exifq.testing.Corpus;
import dev.exifq.testing.TestServer;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 18: every HEIC/HEIF of heic-hashes.csv, uploaded and by URL, gets pillow-heif's hashes and size (the
 * decoded image's, after its rotation: an iPhone photo is portrait) from the image itself; damaged copies are
 * hashed or get a hash_error saying what is wrong, and the image is still processed with its metadata.
 */
@QuarkusTest
class HeicIngestTest {
    private static final String SMALL = "exifsamples__heic__samplefilehub.heif";
    private static final String IPHONE = "exifsamples__heic__mobile__iphone_13_pro_max.HEIC";
    private static TestServer server;

    @BeforeAll
    static void start() throws IOException {
        server = new TestServer();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void everyReferenceHeicUploadedAndByUrlHasPillowHeifsHashesAndSize() throws IOException {
        List<Corpus.HeicRow> rows = Corpus.heicHashes();
        assertEquals(5, rows.size());
        List<String> problems = new ArrayList<>();
        for (Corpus.HeicRow row : rows) {
            Path file = Corpus.image(row.file());
            check(row, "upload", Api.asAdmin().multiPart("file", file.toFile()).post("/v1/images"), problems);
            check(row, "url", Api.asAdmin().contentType("application/json")
                    .body(Map.of("url", server.url("/corpus/" + row.file()))).post("/v1/images"), problems);
        }
        assertEquals(List.of(), problems);
    }

    private static void check(Corpus.HeicRow row, String way, Response r, List<String> problems) {
        String got = r.path("status") + " " + r.path("width") + "x" + r.path("height") + " " + r.path("dhash") + " "
                + r.path("phash") + " " + r.path("hash_source");
        String expected = "processed " + row.width() + "x" + row.height() + " " + row.dhash() + " " + row.phash()
                + " image";
        if (!expected.equals(got)) {
            problems.add(row.file() + " by " + way + ": expected " + expected + ", got " + got + " " + r.asString());
        }
    }

    @Test
    void aHeicWithoutADecodableImageSaysWhy() {
        Response r = Api.asAdmin().multiPart("file", Corpus.image("exiftool__QuickTime.heic").toFile())
                .post("/v1/images");
        assertEquals("processed", r.path("status"), r.asString());
        assertNull(r.path("dhash"));
        assertNull(r.path("hash_source"));
        String error = r.path("hash_error");
        assertTrue(error.startsWith("The image could not be decoded for hashing: The HEIC/HEIF file is damaged or "
                + "unsupported: "), error);
    }

    /** Cut short and overwritten: the metadata is still there, the hashes are there or a hash_error says why. */
    @Test
    void damagedCopiesAreProcessedWithHashesOrAHashError() throws IOException {
        byte[] iphone = Files.readAllBytes(Corpus.image(IPHONE));
        byte[] small = Files.readAllBytes(Corpus.image(SMALL));
        byte[] overwritten = small.clone();
        for (int i = 0; i < 64; i++) {
            overwritten[small.length / 2 + i] ^= (byte) 0x5a; // inside the HEVC data
        }
        byte[] badBoxes = small.clone();
        Arrays.fill(badBoxes, 40, 200, (byte) 0xff);
        List<byte[]> damaged = List.of(Arrays.copyOf(iphone, iphone.length / 2), Arrays.copyOf(small, 300),
                overwritten, badBoxes);
        int refused = 0;
        for (byte[] bytes : damaged) {
            Path file = Files.createTempFile("damaged", ".heic");
            Files.write(file, bytes);
            Response r = Api.asAdmin().multiPart("file", file.toFile()).post("/v1/images");
            Files.delete(file);
            if ("failed".equals(r.path("status"))) {
                // too damaged for ExifTool to call it an image: refused as a whole, with a JSON error code
                assertTrue(r.path("error_code") != null, r.asString());
                refused++;
                continue;
            }
            assertEquals("processed", r.path("status"), r.asString());
            if (r.path("dhash") == null) {
                String error = r.path("hash_error");
                assertTrue(error.contains("HEIC/HEIF"), r.asString());
                refused++;
            } else {
                assertEquals("image", r.path("hash_source"), r.asString());
            }
        }
        assertTrue(refused >= 2, "a file cut in half and one cut after 300 bytes cannot be hashed");
    }
}
