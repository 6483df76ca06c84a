package dev.exifq.hashing;

import org.junit.jupiter.api.Test;

import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.MemoryCacheImageOutputStream;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 21's "done means" for every corpus JPEG and PNG with a reference hash, at the level of the hashes the
 * search compares: the image turned by each of the seven other orientations and written as PNG (lossless) and as
 * JPEG q90 has hashes within the default distance (6) of the original's hash for that orientation, and no other
 * orientation of the original is nearer (a tie means the image looks the same both ways). The API test
 * (duplicates.OrientationDuplicatesTest) uploads a handful of such copies and checks what the search reports.
 */
class EveryCorpusImageTurnedTest {
    private static final ImageHasher HASHER = new ImageHasher(100_000_000L);
    private static final int DEFAULT_DISTANCE = 6;
    /**
     * A damaged 49 x 500 strip that is almost flat (its dhash has 2 bits set): its phash bits are decided by noise,
     * so any re-encoding, turned or not, moves it 8 to 14 bits; no hash finds its copies. Its failures are listed in
     * the report and expected; any other file failing, or this one passing, fails the test.
     */
    private static final String UNSTABLE = "exifsamples__jpg__invalid__image01713.jpg";

    @Test
    void everyTurnedCopyIsNearestToItsOwnOrientation() throws Exception {
        List<Corpus.Row> rows = Corpus.hashedRows().stream()
                .filter(r -> r.pilFormat().equals("JPEG") || r.pilFormat().equals("PNG")).toList();
        assertTrue(rows.size() >= 100, "corpus JPEGs and PNGs with a reference hash: " + rows.size());
        List<String> failures = java.util.Collections.synchronizedList(new ArrayList<>());
        java.util.concurrent.atomic.AtomicInteger copies = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.atomic.AtomicInteger worstSeen = new java.util.concurrent.atomic.AtomicInteger();
        rows.parallelStream().forEach(row -> {
            try {
                check(row, failures, copies, worstSeen);
            } catch (Exception e) {
                failures.add(row.file() + ": " + e);
            }
        });
        int worst = worstSeen.get();
        String report = rows.size() + " corpus images, " + copies + " turned copies, largest distance to the right "
                + "orientation " + worst + "\n" + String.join("\n", failures);
        Files.createDirectories(Path.of("target"));
        Files.writeString(Path.of("target/every-corpus-image-turned.txt"), report, StandardCharsets.UTF_8);
        assertEquals(List.of(), failures.stream().filter(f -> !f.startsWith(UNSTABLE + " ")).toList(), report);
        assertTrue(failures.stream().anyMatch(f -> f.startsWith(UNSTABLE + " ")), "the unstable strip now passes: "
                + "take it off the list\n" + report);
    }

    private static void check(Corpus.Row row, List<String> failures, java.util.concurrent.atomic.AtomicInteger copies,
                              java.util.concurrent.atomic.AtomicInteger worstSeen) throws Exception {
        BufferedImage image = ImageIO.read(row.path().toFile());
        if (image == null) {
            failures.add(row.file() + ": the JDK cannot decode it to make turned copies");
            return;
        }
        ImageHashes fromFile = HASHER.hash(row.path());
        int[] rgb = rgb(image);
        for (String format : List.of("png", "jpeg")) {
            ImageHashes original = fromFile;
            for (Orientation o : Orientation.values()) {
                if (o == Orientation.IDENTITY) {
                    continue;
                }
                BufferedImage turned = turn(rgb, image.getWidth(), image.getHeight(), o);
                ImageHashes copy = HASHER.hash(encode(turned, format));
                copies.incrementAndGet();
                for (boolean phash : new boolean[] {true, false}) {
                    String hash = phash ? copy.phash() : copy.dhash();
                    int own = distance(hash, original, o, phash);
                    worstSeen.accumulateAndGet(own, Math::max);
                    int nearest = Integer.MAX_VALUE;
                    for (Orientation other : Orientation.values()) {
                        nearest = Math.min(nearest, distance(hash, original, other, phash));
                    }
                    if (own > DEFAULT_DISTANCE || own > nearest) {
                        failures.add(String.format("%s %s as %s, %s: distance %d to its orientation, %d nearest",
                                row.file(), o.apiName(), format, phash ? "phash" : "dhash", own, nearest));
                    }
                }
            }
        }
    }

    private static int distance(String hash, ImageHashes original, Orientation o, boolean phash) {
        return Hamming.distance(hash, Hamming.hex(phash ? original.oriented().phash(o) : original.oriented().dhash(o)));
    }

    private static int[] rgb(BufferedImage image) {
        BufferedImage rgb = image;
        if (image.getType() != BufferedImage.TYPE_INT_RGB) {
            rgb = new BufferedImage(image.getWidth(), image.getHeight(), BufferedImage.TYPE_INT_RGB);
            rgb.getGraphics().drawImage(image, 0, 0, null);
        }
        return rgb.getRGB(0, 0, rgb.getWidth(), rgb.getHeight(), null, 0, rgb.getWidth());
    }

    /** The pixels turned by {@code o} (rotate90: a quarter turn clockwise), as in testing.Turns, without a copy per pixel. */
    private static BufferedImage turn(int[] px, int w, int h, Orientation o) {
        int outW = o.swapsAxes() ? h : w;
        int outH = o.swapsAxes() ? w : h;
        int[] out = new int[px.length];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int tx;
                int ty;
                switch (o) {
                    case MIRROR -> { tx = w - 1 - x; ty = y; }
                    case FLIP -> { tx = x; ty = h - 1 - y; }
                    case ROTATE180 -> { tx = w - 1 - x; ty = h - 1 - y; }
                    case ROTATE90 -> { tx = outW - 1 - y; ty = x; }
                    case ROTATE270 -> { tx = y; ty = outH - 1 - x; }
                    case TRANSPOSE -> { tx = y; ty = x; }
                    case TRANSVERSE -> { tx = outW - 1 - y; ty = outH - 1 - x; }
                    default -> { tx = x; ty = y; }
                }
                out[ty * outW + tx] = px[y * w + x];
            }
        }
        BufferedImage image = new BufferedImage(outW, outH, BufferedImage.TYPE_INT_RGB);
        image.setRGB(0, 0, outW, outH, out, 0, outW);
        return image;
    }

    private static byte[] encode(BufferedImage image, String format) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ImageWriter writer = ImageIO.getImageWritersByFormatName(format).next();
        ImageWriteParam param = writer.getDefaultWriteParam();
        param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
        // JPEG: q90. PNG: quality 1 is deflate level 0, the same pixels written five times faster than the default
        // level (PNG is lossless at any level, and the hasher inflates stored blocks like compressed ones)
        param.setCompressionQuality(format.equals("png") ? 1.0f : 0.9f);
        try (MemoryCacheImageOutputStream out = new MemoryCacheImageOutputStream(bytes)) {
            writer.setOutput(out);
            writer.write(null, new IIOImage(image, null, null), param);
        } finally {
            writer.dispose();
        }
        return bytes.toByteArray();
    }
}
