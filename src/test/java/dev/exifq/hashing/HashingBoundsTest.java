package dev.exifq.hashing;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

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
        writeZeroPng(hostile, SIDE, SIDE);
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

    /** IHDR w x h, 16-bit RGBA, and an IDAT of all-zero rows: about 1 MB on disk. */
    static void writeZeroPng(Path file, int w, int h) throws IOException {
        try (OutputStream raw = Files.newOutputStream(file); DataOutputStream out = new DataOutputStream(raw)) {
            out.write(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'});
            DataOutputStream ihdr = null;
            java.io.ByteArrayOutputStream header = new java.io.ByteArrayOutputStream();
            ihdr = new DataOutputStream(header);
            ihdr.writeInt(w);
            ihdr.writeInt(h);
            ihdr.write(new byte[] {16, 6, 0, 0, 0});
            chunk(out, "IHDR", header.toByteArray());
            Deflater deflater = new Deflater(Deflater.BEST_COMPRESSION);
            byte[] row = new byte[1 + w * 8];
            java.io.ByteArrayOutputStream idat = new java.io.ByteArrayOutputStream();
            byte[] buf = new byte[1 << 16];
            for (int y = 0; y < h; y++) {
                deflater.setInput(row);
                while (!deflater.needsInput()) {
                    idat.write(buf, 0, deflater.deflate(buf));
                }
            }
            deflater.finish();
            while (!deflater.finished()) {
                idat.write(buf, 0, deflater.deflate(buf));
            }
            deflater.end();
            chunk(out, "IDAT", idat.toByteArray());
            chunk(out, "IEND", new byte[0]);
        }
    }

    private static void chunk(DataOutputStream out, String type, byte[] data) throws IOException {
        out.writeInt(data.length);
        byte[] t = type.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        out.write(t);
        out.write(data);
        CRC32 crc = new CRC32();
        crc.update(t);
        crc.update(data);
        out.writeInt((int) crc.getValue());
    }
}
