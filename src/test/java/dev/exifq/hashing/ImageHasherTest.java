package dev.exifq.hashing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageHasherTest {
    private static final long LIMIT = 100_000_000L;

    @TempDir
    Path tmp;

    // ---- pixel limit -------------------------------------------------------------------------------------

    @Test
    void refusesPngDeclaringTooManyPixelsBeforeDecoding() {
        byte[] bomb = pngHeaderOnly(50_000, 50_000);
        ImageHasher hasher = new ImageHasher(LIMIT);
        long start = System.nanoTime();
        ImageTooLargeException e = assertThrows(ImageTooLargeException.class,
                () -> hasher.hash(new ByteArrayInputStream(bomb)));
        long millis = (System.nanoTime() - start) / 1_000_000;
        assertTrue(millis < 2_000, "took " + millis + " ms");
        assertTrue(e.getMessage().contains("50000 x 50000"), e.getMessage());
        assertTrue(e.getMessage().contains(String.valueOf(LIMIT)), e.getMessage());
        assertEquals(50_000, e.width());
        assertEquals(50_000, e.height());
        assertEquals(LIMIT, e.maxPixels());
    }

    @Test
    void refusesJpegDeclaringTooManyPixelsBeforeDecoding() throws Exception {
        // a real JPEG whose frame header is patched to claim 50000 x 50000
        byte[] jpeg = encode(picture(16, 16), "jpeg");
        int sof = indexOfMarker(jpeg, 0xC0);
        ByteBuffer.wrap(jpeg).putShort(sof + 5, (short) 50_000).putShort(sof + 7, (short) 50_000);
        Path file = tmp.resolve("bomb.jpg");
        Files.write(file, jpeg);
        ImageHasher hasher = new ImageHasher(LIMIT);
        long start = System.nanoTime();
        ImageTooLargeException e = assertThrows(ImageTooLargeException.class, () -> hasher.hash(file));
        long millis = (System.nanoTime() - start) / 1_000_000;
        assertTrue(millis < 2_000, "took " + millis + " ms");
        assertTrue(e.getMessage().contains("50000 x 50000"), e.getMessage());
    }

    @Test
    void limitIsInclusive() throws Exception {
        byte[] png = encode(picture(100, 80), "png");
        assertEquals(100, new ImageHasher(8_000).hash(new ByteArrayInputStream(png)).width());
        assertThrows(ImageTooLargeException.class, () -> new ImageHasher(7_999).hash(new ByteArrayInputStream(png)));
    }

    @Test
    void rejectsNonPositiveLimit() {
        assertThrows(IllegalArgumentException.class, () -> new ImageHasher(0));
    }

    // ---- broken input ------------------------------------------------------------------------------------

    @Test
    void garbageIsUndecodable() {
        byte[] garbage = new byte[4096];
        new java.util.Random(42).nextBytes(garbage);
        garbage[0] = 0x13; // not accidentally a known magic number
        UndecodableImageException e = assertThrows(UndecodableImageException.class,
                () -> new ImageHasher(LIMIT).hash(new ByteArrayInputStream(garbage)));
        assertTrue(e.getMessage().startsWith("Unrecognised"), e.getMessage());
    }

    @Test
    void emptyInputIsUndecodable() {
        assertThrows(UndecodableImageException.class,
                () -> new ImageHasher(LIMIT).hash(new ByteArrayInputStream(new byte[0])));
    }

    @Test
    void missingFileIsUndecodable() {
        assertThrows(UndecodableImageException.class, () -> new ImageHasher(LIMIT).hash(tmp.resolve("nope.png")));
    }

    @Test
    void truncatedPngIsUndecodable() throws Exception {
        byte[] png = encode(noise(200, 150), "png");
        byte[] cut = Arrays.copyOf(png, png.length / 2);
        assertThrows(UndecodableImageException.class, () -> new ImageHasher(LIMIT).hash(new ByteArrayInputStream(cut)));
    }

    @Test
    void truncatedJpegIsUndecodableAsInPillow() throws Exception {
        byte[] jpeg = encode(noise(200, 150), "jpeg");
        byte[] cut = Arrays.copyOf(jpeg, jpeg.length / 2);
        UndecodableImageException e = assertThrows(UndecodableImageException.class,
                () -> new ImageHasher(LIMIT).hash(new ByteArrayInputStream(cut)));
        assertTrue(e.getMessage().contains("truncated"), e.getMessage());
        // Pillow also refuses a JPEG that only lacks its end-of-image marker
        byte[] noEoi = Arrays.copyOf(jpeg, jpeg.length - 2);
        assertThrows(UndecodableImageException.class, () -> new ImageHasher(LIMIT).hash(new ByteArrayInputStream(noEoi)));
    }

    @Test
    void jpegHeaderOnlyIsUndecodable() throws Exception {
        byte[] jpeg = encode(picture(64, 64), "jpeg");
        byte[] cut = Arrays.copyOf(jpeg, indexOfMarker(jpeg, 0xC0) + 4);
        assertThrows(UndecodableImageException.class, () -> new ImageHasher(LIMIT).hash(new ByteArrayInputStream(cut)));
    }

    @Test
    void corruptPngHeaderIsUndecodable() throws Exception {
        byte[] png = encode(picture(64, 64), "png");
        png[20] ^= 0x55; // inside IHDR: the CRC no longer matches
        png[24] = 77; // and an invalid bit depth
        assertThrows(UndecodableImageException.class, () -> new ImageHasher(LIMIT).hash(new ByteArrayInputStream(png)));
    }

    // ---- memory-bounded decoding and thread safety -------------------------------------------------------

    @Test
    void bandedDecodingGivesIdenticalHashes() throws Exception {
        ImageHasher whole = new ImageHasher(LIMIT);
        List<Path> files = images();
        assertTrue(files.size() > 30);
        for (Path f : files) {
            ImageHashes expected = whole.hash(f);
            // bands of 7 rows: several bands for every image taller than 7 rows
            ImageHasher banded = new ImageHasher(LIMIT, expected.width() * 7L, false);
            assertEquals(expected, banded.hash(f), "banded decoding changed " + f.getFileName());
        }
    }

    @Test
    void concurrentCallsGiveTheSameResults() throws Exception {
        ImageHasher hasher = new ImageHasher(LIMIT);
        List<Path> files = images();
        List<ImageHashes> expected = new ArrayList<>();
        for (Path f : files) {
            expected.add(hasher.hash(f));
        }
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            for (int round = 0; round < 3; round++) {
                List<Future<ImageHashes>> futures = new ArrayList<>();
                for (Path f : files) {
                    futures.add(pool.submit(() -> hasher.hash(f)));
                }
                for (int i = 0; i < files.size(); i++) {
                    assertEquals(expected.get(i), futures.get(i).get(), files.get(i).getFileName().toString());
                }
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void streamAndPathAgree() throws Exception {
        byte[] jpeg = encode(picture(120, 90), "jpeg");
        Path file = tmp.resolve("p.jpg");
        Files.write(file, jpeg);
        ImageHasher hasher = new ImageHasher(LIMIT);
        assertEquals(hasher.hash(file), hasher.hash(new ByteArrayInputStream(jpeg)));
    }

    // ---- helpers -----------------------------------------------------------------------------------------

    private static List<Path> images() throws IOException {
        try (Stream<Path> s = Files.list(PillowFixturesTest.DIR)) {
            return s.filter(p -> !p.getFileName().toString().endsWith(".csv")).sorted().toList();
        }
    }

    static BufferedImage picture(int w, int h) {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, w, h);
        g.setColor(Color.RED);
        g.fillOval(w / 4, h / 4, w / 2, h / 2);
        g.dispose();
        return img;
    }

    private static BufferedImage noise(int w, int h) {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        java.util.Random r = new java.util.Random(7);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                img.setRGB(x, y, r.nextInt(0x1000000));
            }
        }
        return img;
    }

    static byte[] encode(BufferedImage img, String format) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertTrue(ImageIO.write(img, format, out));
        return out.toByteArray();
    }

    private static int indexOfMarker(byte[] jpeg, int marker) {
        for (int i = 2; i + 1 < jpeg.length; i++) {
            if ((jpeg[i] & 0xFF) == 0xFF && (jpeg[i + 1] & 0xFF) == marker) {
                return i;
            }
        }
        throw new AssertionError("marker not found");
    }

    /** A PNG signature and IHDR declaring w x h 8-bit RGB, then a tiny IDAT and IEND. */
    private static byte[] pngHeaderOnly(int w, int h) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'});
        ByteBuffer ihdr = ByteBuffer.allocate(13).putInt(w).putInt(h).put((byte) 8).put((byte) 2).put((byte) 0)
                .put((byte) 0).put((byte) 0);
        chunk(out, "IHDR", ihdr.array());
        Deflater d = new Deflater();
        d.setInput(new byte[1024]);
        d.finish();
        byte[] buf = new byte[2048];
        int n = d.deflate(buf);
        chunk(out, "IDAT", Arrays.copyOf(buf, n));
        chunk(out, "IEND", new byte[0]);
        return out.toByteArray();
    }

    private static void chunk(ByteArrayOutputStream out, String type, byte[] data) {
        byte[] t = type.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        out.writeBytes(ByteBuffer.allocate(4).putInt(data.length).array());
        out.writeBytes(t);
        out.writeBytes(data);
        CRC32 crc = new CRC32();
        crc.update(t);
        crc.update(data);
        out.writeBytes(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
    }
}
