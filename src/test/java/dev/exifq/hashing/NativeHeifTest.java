package dev.exifq.hashing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;

import dev.exifq.testing.Corpus.HeicRow;

/**
 * The libheif decoder (src/main/c/exifq_heif.c through JNI) against the reference: every HEIC/HEIF of
 * heic-hashes.csv (pillow-heif's decode, imagehash 4.3.2) hashed from a file, a stream and an array; damaged
 * copies made as NativeJpegTest makes them, each hashed or refused, never crashing the JVM; the pixel cap and the
 * deadline.
 */
class NativeHeifTest {
    private static final String SMALL = "exifsamples__heic__samplefilehub.heif";
    private static final String IPHONE = "exifsamples__heic__mobile__iphone_13_pro_max.HEIC";

    private final ImageHasher hasher = new ImageHasher(200_000_000L);

    @Test
    void isBuiltAndLoadedHere() {
        // scripts/check-prerequisites installs libheif 1.19 from bookworm-backports, so the build always has it here
        assertTrue(NativeHeif.available(), "the native HEIC decoder was not built or did not load");
    }

    @Test
    void everyReferenceHeicHashesAsPillowHeif() throws Exception {
        List<HeicRow> rows = dev.exifq.testing.Corpus.heicHashes();
        assertEquals(5, rows.size());
        List<String> differences = new ArrayList<>();
        for (HeicRow row : rows) {
            Path file = Corpus.IMAGES.resolve(row.file());
            byte[] bytes = Files.readAllBytes(file);
            String expected = row.width() + "x" + row.height() + " " + row.dhash() + " " + row.phash();
            String fromFile = describe(hasher.hash(file));
            if (!expected.equals(fromFile)) {
                differences.add(row.file() + ": expected " + expected + ", got " + fromFile);
            }
            if (row.file().equals(SMALL)) { // the other ways to hand over bytes, on the quickest file
                assertEquals(fromFile, describe(hasher.hash(new ByteArrayInputStream(bytes))), "as a stream");
                assertEquals(fromFile, describe(hasher.hash(bytes)), "as an array");
            }
        }
        assertEquals(List.of(), differences);
    }

    @Test
    void aHeifWithoutADecodableImageIsRefusedWithLibheifsReason() {
        UndecodableImageException e = assertThrows(UndecodableImageException.class,
                () -> hasher.hash(Corpus.IMAGES.resolve("exiftool__QuickTime.heic")));
        assertTrue(e.getMessage().startsWith("The HEIC/HEIF file is damaged or unsupported: "), e.getMessage());
        assertTrue(e.getMessage().length() > 50, e.getMessage());
    }

    @Test
    void overThePixelCapIsRefusedBeforeDecoding() {
        ImageTooLargeException e = assertThrows(ImageTooLargeException.class,
                () -> new ImageHasher(12_000_000L).hash(Corpus.IMAGES.resolve(IPHONE)));
        assertTrue(e.getMessage().contains("3024"), e.getMessage());
    }

    @Test
    void aLargeHeicTakesALargeImageSlot() {
        ImageHasher small = new ImageHasher(200_000_000L, 1_000_000L, true);
        assertTrue(small.large(Corpus.IMAGES.resolve(IPHONE)));
        assertTrue(!small.large(Corpus.IMAGES.resolve(SMALL)));
    }

    @Test
    void theDeadlineStopsTheDecode() throws Exception {
        Path iphone = Corpus.IMAGES.resolve(IPHONE);
        long whole = System.nanoTime();
        hasher.hash(iphone, HashingDeadline.after(Duration.ofSeconds(60))); // also loads libheif's plugins
        long wholeMs = (System.nanoTime() - whole) / 1_000_000;
        // the iPhone file is a grid of 48 tiles: libheif asks between tiles whether to go on
        long start = System.nanoTime();
        assertThrows(HashingTimeoutException.class,
                () -> hasher.hash(iphone, HashingDeadline.after(Duration.ofMillis(wholeMs / 10))));
        long tookMs = (System.nanoTime() - start) / 1_000_000;
        assertTrue(tookMs < wholeMs / 2, "stopped after " + tookMs + " ms, a whole decode takes " + wholeMs);
    }

    /**
     * Hostile bytes reach libheif and libde265 here, and a crash there would take the whole server down: hundreds
     * of damaged copies of the small file (bytes overwritten in the boxes and the HEVC data, cut short, blocks
     * copied over other places) and a few of a grid image. Each must be hashed or refused with a message.
     */
    @Test
    void damagedHeicsAreHashedOrRefusedAndNeverCrash() throws Exception {
        Random random = new Random(20261204L);
        int hashed = 0;
        int refused = 0;
        for (String name : List.of(SMALL, IPHONE)) {
            byte[] original = Files.readAllBytes(Corpus.IMAGES.resolve(name));
            int copies = name.equals(IPHONE) ? 6 : 200;
            for (int i = 0; i < copies; i++) {
                byte[] damaged = NativeJpegTest.damage(original, random, 8, 1000); // 8: size and ftyp kept
                try {
                    ImageHashes h = hasher.hash(damaged, HashingDeadline.after(Duration.ofSeconds(20)));
                    assertEquals(16, h.dhash().length());
                    hashed++;
                } catch (UndecodableImageException e) {
                    assertTrue(e.getMessage().startsWith("The HEIC/HEIF file is damaged or unsupported: ")
                            || e.getMessage().startsWith("Unsupported HEIC/HEIF image: ")
                            || e.getMessage().startsWith("Unrecognised or unsupported image format"), e.getMessage());
                    refused++;
                } catch (ImageTooLargeException e) {
                    refused++; // a damaged size box
                }
            }
        }
        // both outcomes are exercised: damage in the HEVC data mostly still decodes, in the boxes it does not
        assertTrue(hashed > 30 && refused > 30, hashed + " hashed, " + refused + " refused");
    }

    private static String describe(ImageHashes h) {
        return h.width() + "x" + h.height() + " " + h.dhash() + " " + h.phash();
    }
}
