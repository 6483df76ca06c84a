package dev.exifq.hashing;

import dev.exifq.testing.Turns;
import org.junit.jupiter.api.Test;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The eight orientations: the turns compose as the symmetries of a square, and the hash of an orientation computed
 * from the original's decode comes close to hashing a file whose pixels were turned (they differ only by the
 * resampler's rounding: docs/hashing.md, "Orientations"). The measurement goes to target/oriented-hash-report.txt.
 */
class OrientedHashesTest {
    private static final ImageHasher HASHER = new ImageHasher(100_000_000L);

    @Test
    void turnsComposeAsTheSymmetriesOfASquare() {
        Random random = new Random(21);
        int w = 5;
        int h = 3;
        byte[] pixels = new byte[w * h];
        random.nextBytes(pixels);
        for (Orientation a : Orientation.values()) {
            assertEquals(Orientation.IDENTITY, a.then(a.inverse()), a.apiName());
            byte[] turned = a.turn(pixels, w, h);
            int tw = a.swapsAxes() ? h : w;
            int th = a.swapsAxes() ? w : h;
            assertArrayEquals(pixels, a.inverse().turn(turned, tw, th), a.apiName());
            for (Orientation b : Orientation.values()) {
                assertArrayEquals(a.then(b).turn(pixels, w, h), b.turn(turned, tw, th), a.apiName() + " then " + b.apiName());
            }
        }
        // the named turns do what their names say, on a 2x2 image [1 2 / 3 4]
        byte[] square = {1, 2, 3, 4};
        assertArrayEquals(new byte[]{3, 1, 4, 2}, Orientation.ROTATE90.turn(square, 2, 2)); // clockwise
        assertArrayEquals(new byte[]{2, 4, 1, 3}, Orientation.ROTATE270.turn(square, 2, 2));
        assertArrayEquals(new byte[]{2, 1, 4, 3}, Orientation.MIRROR.turn(square, 2, 2));
        assertArrayEquals(new byte[]{3, 4, 1, 2}, Orientation.FLIP.turn(square, 2, 2));
        assertArrayEquals(new byte[]{1, 3, 2, 4}, Orientation.TRANSPOSE.turn(square, 2, 2));
        assertArrayEquals(new byte[]{4, 2, 3, 1}, Orientation.TRANSVERSE.turn(square, 2, 2));
        assertEquals(Orientation.ROTATE90, Orientation.ofExif(6));
        assertEquals(Orientation.TRANSPOSE, Orientation.MIRROR.then(Orientation.ROTATE270)); // EXIF 5's definition
        assertEquals(Orientation.TRANSVERSE, Orientation.MIRROR.then(Orientation.ROTATE90)); // EXIF 7's
        assertEquals(Orientation.IDENTITY, Orientation.ofExif(0));
    }

    @Test
    void storedFormRoundTrips() {
        long[] p = new Random(1).longs(8).toArray();
        long[] d = new Random(2).longs(8).toArray();
        OrientedHashes h = new OrientedHashes(p, d);
        assertEquals(h, OrientedHashes.fromBytes(h.toBytes()));
        assertEquals(p[5], h.phash(Orientation.ROTATE90));
        assertNull(OrientedHashes.fromBytes(null));
    }

    /**
     * Corpus images of several formats and shapes, decoded by the JDK into pixels written as PNG, then each of the
     * eight turns of those pixels written as PNG (lossless): the turned file's own hashes against the orientation's
     * hashes of the unturned file.
     */
    @Test
    void aTurnedFileHashesCloseToTheTurnedGrid() throws Exception {
        List<Corpus.Row> rows = Corpus.hashedRows().stream().filter(r -> (long) r.width() * r.height() < 400_000)
                .filter(r -> Math.floorMod(r.file().hashCode(), 3) == 0).limit(8).toList();
        assertTrue(rows.size() >= 8, "corpus sample: " + rows.size());
        int[] maxP = new int[8];
        int[] maxD = new int[8];
        int[] sumP = new int[8];
        int[] sumD = new int[8];
        for (Corpus.Row row : rows) {
            BufferedImage image = ImageIO.read(row.path().toFile());
            ImageHashes original = HASHER.hash(png(image));
            assertEquals(original.phash(), Hamming.hex(original.oriented().phash(Orientation.IDENTITY)));
            assertEquals(original.dhash(), Hamming.hex(original.oriented().dhash(Orientation.IDENTITY)));
            for (Orientation o : Orientation.values()) {
                ImageHashes turned = HASHER.hash(png(Turns.turn(image, o)));
                int p = Hamming.distance(turned.phash(), Hamming.hex(original.oriented().phash(o)));
                int d = Hamming.distance(turned.dhash(), Hamming.hex(original.oriented().dhash(o)));
                int i = o.exif() - 1;
                maxP[i] = Math.max(maxP[i], p);
                maxD[i] = Math.max(maxD[i], d);
                sumP[i] += p;
                sumD[i] += d;
            }
        }
        StringBuilder report = new StringBuilder("turned PNG's hash vs the orientation's hash from the original's "
                + "decode, " + rows.size() + " corpus images\norientation   phash mean/max   dhash mean/max\n");
        for (Orientation o : Orientation.values()) {
            int i = o.exif() - 1;
            report.append(String.format("%-12s %7.2f / %-3d %9.2f / %d%n", o.apiName(), sumP[i] / (double) rows.size(),
                    maxP[i], sumD[i] / (double) rows.size(), maxD[i]));
        }
        Files.createDirectories(Path.of("target"));
        Files.writeString(Path.of("target/oriented-hash-report.txt"), report, StandardCharsets.UTF_8);
        System.out.print(report);
        assertEquals(0, maxP[0] + maxD[0], "the identity is the file's own hash");
        for (int i = 1; i < 8; i++) {
            assertTrue(maxP[i] <= 4 && maxD[i] <= 4, report.toString());
        }
    }

    static byte[] png(BufferedImage image) throws IOException {
        BufferedImage rgb = image;
        if (image.getType() != BufferedImage.TYPE_INT_RGB) {
            rgb = new BufferedImage(image.getWidth(), image.getHeight(), BufferedImage.TYPE_INT_RGB);
            rgb.getGraphics().drawImage(image, 0, 0, null);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(rgb, "png", out);
        return out.toByteArray();
    }
}
