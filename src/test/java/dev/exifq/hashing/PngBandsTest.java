package dev.exifq.hashing;

import org.junit.jupiter.api.Test;

import java.awt.Color;
import java.awt.GradientPaint;
import java.awt.Graphics2D;
import java.awt.Transparency;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ComponentColorModel;
import java.awt.image.DataBuffer;
import java.awt.image.Raster;
import java.awt.image.WritableRaster;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;

import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.ImageOutputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Our one-pass PNG band decoding against the JDK's reader, which it replaces for images over one band: the same
 * samples in the same kind of image, band after band, and the same hashes, on the corpus PNG, the Pillow fixtures
 * and files the JDK writes (grey, grey with alpha, RGB, RGBA in 8 and 16 bits, palette; odd sizes; noise, so that
 * the writer picks every row filter); other layouts are left to the JDK, and damaged files get its answer.
 */
class PngBandsTest {
    private static final long LIMIT = 200_000_000L;
    private static final Path CORPUS = Path.of(System.getProperty("basedir", "."))
            .resolve("../shared/corpus/images").normalize();

    private final ImageHasher ownInSmallBands = new ImageHasher(LIMIT, 1_000, true);
    private final ImageHasher jdkInSmallBands = new ImageHasher(LIMIT, 1_000, false);
    private final ImageHasher jdk = new ImageHasher(LIMIT, ImageHasher.DEFAULT_BAND_PIXELS, false);

    @Test
    void sameSamplesAndHashesAsTheJdkOnEveryPng() throws Exception {
        Map<String, byte[]> files = new LinkedHashMap<>();
        for (Path dir : List.of(CORPUS, PillowFixturesTest.DIR)) {
            for (Path f : pngs(dir)) {
                files.put(f.getFileName().toString(), Files.readAllBytes(f));
            }
        }
        files.putAll(written());
        int decoded = 0;
        for (var e : files.entrySet()) {
            byte[] png = e.getValue();
            for (int bandRows : new int[] {1, 7, Integer.MAX_VALUE}) {
                Raster ours;
                try {
                    ours = ownSamples(png, bandRows);
                } catch (OwnBands.Refused refused) {
                    throw new AssertionError(e.getKey() + " refused: " + refused.getMessage(), refused);
                }
                if (ours == null) {
                    break; // not a layout we decode: the JDK reads it
                }
                assertSameSamples(jdkImage(png).getRaster(), ours, e.getKey() + " in bands of " + bandRows);
                if (bandRows == 1) {
                    decoded++;
                }
            }
            String expected = outcome(jdk, png);
            assertTrue(expected.startsWith("hashed"), e.getKey() + ": " + expected);
            assertEquals(expected, outcome(ownInSmallBands, png), e.getKey() + " in bands");
            assertEquals(expected, outcome(jdkInSmallBands, png), e.getKey() + " in the JDK's bands");
        }
        assertTrue(decoded >= 6 + written().size() - 2, "decoded only " + decoded);
    }

    @Test
    void otherLayoutsAreLeftToTheJdk() throws Exception {
        BufferedImage drawn = drawn(33, 21, BufferedImage.TYPE_3BYTE_BGR);
        assertNull(ownSamples(png(drawn, true), 4), "interlaced");
        BufferedImage binary = drawn(33, 21, BufferedImage.TYPE_BYTE_BINARY);
        assertNull(ownSamples(png(binary, false), 4), "1-bit");
        // tRNS on RGB: the JDK adds an alpha channel
        assertNull(ownSamples(withChunk(png(drawn, false), "tRNS", new byte[] {0, 1, 0, 2, 0, 3}), 4), "tRNS");
        assertNotNull(ownSamples(png(drawn, false), 4), "the same file without tRNS");
    }

    @Test
    void damagedFilesGetTheJdkPathsAnswer() throws Exception {
        byte[] original = written().get("written-rgb16-noise");
        Random random = new Random(42);
        int refused = 0;
        for (int i = 0; i < 120; i++) {
            byte[] damaged = original.clone();
            if (i % 3 == 0) {
                damaged = Arrays.copyOf(original, 100 + random.nextInt(original.length - 100));
            } else {
                for (int k = 0; k < 1 + random.nextInt(8); k++) {
                    damaged[60 + random.nextInt(damaged.length - 60)] = (byte) random.nextInt(256);
                }
            }
            String expected = outcome(jdk, damaged);
            assertEquals(expected, outcome(ownInSmallBands, damaged), "damage " + i);
            if (expected.startsWith("refused")) {
                refused++;
            }
        }
        assertTrue(refused > 10, "the damage should break some files, broke " + refused);
    }

    private static void assertSameSamples(Raster expected, Raster actual, String what) {
        assertEquals(expected.getWidth(), actual.getWidth(), what);
        assertEquals(expected.getHeight(), actual.getHeight(), what);
        assertEquals(expected.getSampleModel().getClass(), actual.getSampleModel().getClass(), what);
        assertEquals(expected.getDataBuffer().getDataType(), actual.getDataBuffer().getDataType(), what);
        int[] e = expected.getPixels(0, 0, expected.getWidth(), expected.getHeight(), (int[]) null);
        int[] a = actual.getPixels(0, 0, actual.getWidth(), actual.getHeight(), (int[]) null);
        assertArrayEquals(e, a, what);
    }

    /** The whole image read by {@link PngBands} in bands of {@code bandRows}, or null when it is left to the JDK. */
    private static Raster ownSamples(byte[] png, int bandRows) throws IOException, OwnBands.Refused,
            HashingTimeoutException {
        ImageReader reader = pngReader(png);
        int w = reader.getWidth(0);
        int h = reader.getHeight(0);
        try (PngBands bands = PngBands.of(reader, w, h, HashingDeadline.NONE)) {
            if (bands == null) {
                return null;
            }
            BufferedImage first = null;
            WritableRaster all = null;
            for (int y0 = 0; y0 < h; y0 += Math.min(bandRows, h)) {
                int rows = Math.min(bandRows, h - y0);
                BufferedImage band = bands.read(y0, rows);
                if (first == null) {
                    first = band;
                    all = band.getRaster().createCompatibleWritableRaster(w, h);
                }
                assertEquals(first.getColorModel(), band.getColorModel());
                all.setRect(0, y0, band.getRaster());
            }
            assertEquals(jdkImage(png).getColorModel(), first.getColorModel());
            return all;
        } finally {
            reader.dispose();
        }
    }

    private static BufferedImage jdkImage(byte[] png) throws IOException {
        ImageReader reader = pngReader(png);
        try {
            return reader.read(0);
        } finally {
            reader.dispose();
        }
    }

    private static ImageReader pngReader(byte[] png) throws IOException {
        ImageInputStream in = new MemoryCacheImageInputStream(new ByteArrayInputStream(png));
        ImageReader reader = Readers.find(in);
        assertNotNull(reader);
        assertEquals("png", Readers.format(reader));
        reader.setInput(in, false, false);
        return reader;
    }

    /** PNGs as the JDK's writer makes them: every colour type we decode, odd sizes, and noise. */
    private static Map<String, byte[]> written() throws IOException {
        Map<String, byte[]> out = new LinkedHashMap<>();
        int[] types = {BufferedImage.TYPE_BYTE_GRAY, BufferedImage.TYPE_USHORT_GRAY, BufferedImage.TYPE_3BYTE_BGR,
                BufferedImage.TYPE_4BYTE_ABGR, BufferedImage.TYPE_BYTE_INDEXED};
        for (int[] size : new int[][] {{1, 1}, {7, 5}, {333, 41}}) {
            for (int type : types) {
                out.put("written-" + type + "-" + size[0] + "x" + size[1], png(drawn(size[0], size[1], type), false));
            }
        }
        out.put("written-rgb16-noise", png(noise(101, 67, 3, 16), false));
        out.put("written-rgba16-noise", png(noise(64, 48, 4, 16), false));
        out.put("written-grayalpha8-noise", png(noise(57, 33, 2, 8), false));
        out.put("written-grayalpha16-noise", png(noise(57, 33, 2, 16), false));
        return out;
    }

    private static BufferedImage drawn(int w, int h, int type) {
        BufferedImage image = new BufferedImage(w, h, type);
        Graphics2D g = image.createGraphics();
        g.setPaint(new GradientPaint(0, 0, new Color(250, 30, 10, 200), w, h, new Color(10, 90, 240, 40)));
        g.fillRect(0, 0, w, h);
        g.setColor(Color.WHITE);
        g.drawOval(w / 4, h / 4, Math.max(1, w / 2), Math.max(1, h / 2));
        g.dispose();
        return image;
    }

    /** Smooth gradients with noise on top: the writer's adaptive filtering then uses every filter type. */
    private static BufferedImage noise(int w, int h, int bands, int bits) {
        boolean alpha = bands == 2 || bands == 4;
        ColorSpace cs = ColorSpace.getInstance(bands <= 2 ? ColorSpace.CS_GRAY : ColorSpace.CS_sRGB);
        int type = bits == 16 ? DataBuffer.TYPE_USHORT : DataBuffer.TYPE_BYTE;
        ComponentColorModel model = new ComponentColorModel(cs, alpha, false,
                alpha ? Transparency.TRANSLUCENT : Transparency.OPAQUE, type);
        WritableRaster raster = model.createCompatibleWritableRaster(w, h);
        Random random = new Random(bands * 100 + bits);
        int max = (1 << bits) - 1;
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                for (int b = 0; b < bands; b++) {
                    int smooth = (int) ((long) max * ((x * (b + 1) + y * 3) % (w + h)) / (w + h));
                    int v = (y / 8) % 2 == 0 ? smooth : random.nextInt(max + 1);
                    raster.setSample(x, y, b, v);
                }
            }
        }
        return new BufferedImage(model, raster, false, null);
    }

    private static byte[] png(BufferedImage image, boolean interlaced) throws IOException {
        ImageWriter writer = ImageIO.getImageWritersByFormatName("png").next();
        ImageWriteParam param = writer.getDefaultWriteParam();
        if (interlaced) {
            param.setProgressiveMode(ImageWriteParam.MODE_DEFAULT);
        } else {
            param.setProgressiveMode(ImageWriteParam.MODE_DISABLED);
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ImageOutputStream out = ImageIO.createImageOutputStream(bytes)) {
            writer.setOutput(out);
            writer.write(null, new IIOImage(image, null, null), param);
        } finally {
            writer.dispose();
        }
        return bytes.toByteArray();
    }

    /** The PNG with a chunk inserted after IHDR (its CRC is not checked by either decoder). */
    private static byte[] withChunk(byte[] png, String type, byte[] data) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(png, 0, 33);
        out.write(data.length >>> 24);
        out.write(data.length >>> 16);
        out.write(data.length >>> 8);
        out.write(data.length);
        out.writeBytes(type.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        out.writeBytes(data);
        out.writeBytes(new byte[4]);
        out.write(png, 33, png.length - 33);
        return out.toByteArray();
    }

    private static String outcome(ImageHasher hasher, byte[] data) {
        try {
            ImageHashes h = hasher.hash(data);
            return "hashed " + h.width() + "x" + h.height() + " " + h.dhash() + " " + h.phash();
        } catch (UndecodableImageException | ImageTooLargeException e) {
            return "refused: " + e.getMessage();
        }
    }

    private static List<Path> pngs(Path dir) throws IOException {
        List<Path> out = new ArrayList<>();
        try (Stream<Path> s = Files.list(dir)) {
            s.filter(p -> p.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".png")).sorted()
                    .forEach(out::add);
        }
        return out;
    }
}
