package dev.exifq.hashing;

import dev.exifq.testing.GiantPng;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A 1 MB PNG of 12,200 x 12,200 16-bit RGBA pixels (under the pixel cap) took 24 s to hash and 4.4 GB with four
 * at once. Hashing now gives up at its deadline, decodes such a file in bands of at most 72 MiB, and a camera JPEG
 * hashed meanwhile is not queued behind it.
 */
class HashingBoundsTest {
    private static final int SIDE = 12_200;
    private static final long BAND_BUDGET = 72L * 1024 * 1024;
    private static final Duration DEADLINE = Duration.ofSeconds(3);

    @TempDir
    static Path dir;
    static Path hostile;

    @BeforeAll
    static void makeHostilePng() throws IOException {
        hostile = dir.resolve("giant-16bit-rgba.png");
        GiantPng.write(hostile, SIDE, SIDE);
        assertTrue(Files.size(hostile) < 2_000_000, "highly compressible: " + Files.size(hostile));
    }

    @Test
    void sixteenBitRgbaIsDecodedInBandsWithinTheBudget() throws IOException {
        ImageHasher hasher = new ImageHasher(150_000_000L);
        try (ImageInputStream iis = ImageIO.createImageInputStream(hostile.toFile())) {
            ImageReader reader = Readers.find(iis);
            reader.setInput(iis);
            int bpp = ImageHasher.bytesPerPixel(reader);
            assertEquals(8, bpp);
            long bandBytes = (long) hasher.bandRows(SIDE, SIDE, bpp) * SIDE * bpp;
            assertTrue(bandBytes <= BAND_BUDGET, bandBytes + " bytes a band");
            reader.dispose();
        }
    }

    @Test
    void eightAtOnceStopAtTheDeadlineWhileAJpegHashesAtOnce() throws Exception {
        ImageHasher hasher = new ImageHasher(150_000_000L, 2);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            long start = System.nanoTime();
            List<Future<Throwable>> outcomes = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                outcomes.add(pool.submit(() -> {
                    try {
                        hasher.hash(hostile, HashingDeadline.after(DEADLINE));
                        return null;
                    } catch (Throwable t) {
                        return t;
                    }
                }));
            }
            Thread.sleep(500);
            Corpus.Row jpeg = Corpus.hashedRows().stream()
                    .filter(r -> r.file().equals("exifsamples__jpg__Canon_40D.jpg")).findFirst().orElseThrow();
            long jpegStart = System.nanoTime();
            ImageHashes h = hasher.hash(jpeg.path(), HashingDeadline.after(Duration.ofSeconds(10)));
            long jpegMillis = (System.nanoTime() - jpegStart) / 1_000_000;
            assertEquals(jpeg.phash(), h.phash());
            assertTrue(jpegMillis < 1000, "a camera JPEG took " + jpegMillis + " ms beside the giant PNGs");
            for (Future<Throwable> f : outcomes) {
                Throwable t = f.get(DEADLINE.toSeconds() + 10, TimeUnit.SECONDS);
                assertInstanceOf(HashingTimeoutException.class, t, String.valueOf(t));
            }
            long millis = (System.nanoTime() - start) / 1_000_000;
            assertTrue(millis < DEADLINE.toMillis() + 2500, "eight giant PNGs took " + millis + " ms");
        } finally {
            pool.shutdownNow();
        }
    }

    /**
     * Memory is measured in a JVM of its own (default heap: a quarter of the machine's memory, so nothing but
     * the hasher bounds it): this JVM's resident set includes whatever the tests before this one left behind.
     */
    @Test
    void eightAtOnceStayUnderTwoGigabytesResident() throws Exception {
        Path javaBin = Path.of(System.getProperty("java.home"), "bin", "java");
        Process p = new ProcessBuilder(javaBin.toString(), "-cp", System.getProperty("java.class.path"),
                HashingBoundsProbe.class.getName(), hostile.toString(), "8", String.valueOf(DEADLINE.toSeconds()))
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), out);
        assertEquals(0, p.exitValue(), out);
        assertEquals(8, out.lines().filter(l -> l.equals("outcome timeout")).count(), out);
        long peakKb = out.lines().filter(l -> l.startsWith("peak-rss-kb ")).mapToLong(l -> Long.parseLong(l.substring(12)))
                .findFirst().orElseThrow(() -> new AssertionError("no peak RSS in: " + out));
        assertTrue(peakKb < 2L * 1024 * 1024, "peak RSS " + (peakKb >> 10) + " MB");
    }
}
