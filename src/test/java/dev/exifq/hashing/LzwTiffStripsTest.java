package dev.exifq.hashing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Color;
import java.awt.GradientPaint;
import java.awt.Graphics2D;
import java.awt.Transparency;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.ComponentColorModel;
import java.awt.image.DataBuffer;
import java.awt.image.DataBufferByte;
import java.awt.image.IndexColorModel;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
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

import org.junit.jupiter.api.Test;

/**
 * Our LZW TIFF decoding against the JDK's, which it replaces for speed: the same pixels, byte for byte, and the
 * same hashes on every LZW TIFF of the corpus and the Pillow fixtures and on files the JDK writes (grey, RGB,
 * RGBA, palette; odd sizes; noise that fills the code table), and for damaged files the very answer the JDK
 * path gives.
 */
class LzwTiffStripsTest {
    private static final long LIMIT = 200_000_000L;
    private static final Path CORPUS = Path.of(System.getProperty("basedir", "."))
            .resolve("../shared/corpus/images").normalize();

    private final ImageHasher own = new ImageHasher(LIMIT);
    private final ImageHasher ownInSmallBands = new ImageHasher(LIMIT, 1_000, true);
    private final ImageHasher jdk = new ImageHasher(LIMIT, ImageHasher.DEFAULT_BAND_PIXELS, false);

    @Test
    void samePixelsAndHashesAsTheJdkOnEveryLzwTiff() throws Exception {
        Map<String, byte[]> files = new LinkedHashMap<>();
        for (Path f : tiffs(CORPUS)) {
            files.put(f.getFileName().toString(), Files.readAllBytes(f));
        }
        for (Path f : tiffs(PillowFixturesTest.DIR)) {
            files.put(f.getFileName().toString(), Files.readAllBytes(f));
        }
        files.putAll(written());
        int decoded = 0;
        for (var e : files.entrySet()) {
            byte[] tiff = e.getValue();
            byte[] ours;
            try {
                ours = ownPixels(tiff);
            } catch (LzwTiffStrips.Refused refused) {
                throw new AssertionError(e.getKey() + " refused: " + refused.getMessage(), refused);
            }
            if (ours == null) {
                continue; // not an LZW layout we decode: the JDK reads it
            }
            decoded++;
            assertArrayEquals(jdkPixels(tiff), ours, e.getKey());
            assertSameKindOfModel(e.getKey(), tiff);
            String expected = outcome(jdk, tiff);
            assertTrue(expected.startsWith("hashed"), e.getKey() + ": " + expected);
            assertEquals(expected, outcome(own, tiff), e.getKey());
            assertEquals(expected, outcome(ownInSmallBands, tiff), e.getKey() + " in bands across strips");
        }
        // the corpus's nine LZW TIFFs, Pillow's rgb-lzw.tif and the written ones
        assertTrue(decoded >= 10 + written().size(), "decoded only " + decoded);
    }

    @Test
    void undoingHorizontalDifferencingMatchesThePlainLoopForEverySampleCount() {
        Random random = new Random(19);
        for (int samples = 1; samples <= 5; samples++) {
            for (int width : new int[] {1, 2, 3, 7, 643}) {
                int rows = 5;
                int rowBytes = width * samples;
                byte[] data = new byte[rowBytes * rows];
                random.nextBytes(data); // every byte value, so every carry and wrap between samples is exercised
                byte[] expected = data.clone();
                for (int r = 0; r < rows; r++) {
                    for (int i = r * rowBytes + samples; i < (r + 1) * rowBytes; i++) {
                        expected[i] += expected[i - samples];
                    }
                }
                LzwTiffStrips.undoDifferencing(data, rows, rowBytes, samples);
                assertArrayEquals(expected, data, samples + " samples, " + width + " pixels wide");
            }
        }
    }

    @Test
    void otherLayoutsAreLeftToTheJdk() throws Exception {
        for (String name : List.of("rgb.tif", "rgba-deflate.tif", "cmyk.tif", "gray16.tif", "bilevel-g4.tif")) {
            byte[] tiff = Files.readAllBytes(PillowFixturesTest.DIR.resolve(name));
            assertNull(ownPixels(tiff), name);
        }
    }

    @Test
    void damagedFilesGetTheJdkPathsAnswer() throws Exception {
        byte[] original = Files.readAllBytes(CORPUS.resolve("exifsamples__tiff__BSG1.tiff"));
        Random random = new Random(42);
        int refused = 0;
        for (int i = 0; i < 150; i++) {
            byte[] damaged = original.clone();
            if (i % 3 == 0) {
                damaged = java.util.Arrays.copyOf(original, 200 + random.nextInt(original.length - 200));
            } else {
                for (int k = 0; k < 1 + random.nextInt(8); k++) {
                    damaged[400 + random.nextInt(damaged.length - 400)] = (byte) random.nextInt(256);
                }
            }
            String expected = outcome(jdk, damaged);
            assertEquals(expected, outcome(own, damaged), "damage " + i);
            if (expected.startsWith("refused")) {
                refused++;
            }
        }
        assertTrue(refused > 10, "the damage should break some files, broke " + refused);
    }

    @Test
    void badCodesAreRefusedNotGuessed() {
        TiffLzw lzw = new TiffLzw();
        byte[] out = new byte[16];
        // a clear code, then code 300: no such table entry yet
        assertFalse(lzw.decode(bits(9, 256, 300, 257), 5, out));
        // too little data for the strip
        assertFalse(lzw.decode(bits(9, 256, 65, 257), 5, out));
        // "AAAA" as A, then the entry being defined (A + A), then A
        byte[] code = bits(9, 256, 65, 258, 65, 257);
        byte[] four = new byte[4];
        assertTrue(lzw.decode(code, code.length, four));
        assertArrayEquals("AAAA".getBytes(), four);
        // a strip full after "AA": the codes after it are ignored, as the JDK does
        byte[] three = new byte[3];
        assertTrue(lzw.decode(code, code.length, three));
        assertArrayEquals("AAA".getBytes(), three);
        // a string that would run past the strip's end: left to the JDK (which cuts it)
        assertFalse(lzw.decode(code, code.length, new byte[2]));
    }

    /** Codes of one width packed most significant bit first. */
    private static byte[] bits(int width, int... codes) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        long buffer = 0;
        int n = 0;
        for (int c : codes) {
            buffer = (buffer << width) | c;
            n += width;
            while (n >= 8) {
                out.write((int) (buffer >>> (n - 8)) & 0xff);
                n -= 8;
            }
        }
        if (n > 0) {
            out.write((int) (buffer << (8 - n)) & 0xff);
        }
        return out.toByteArray();
    }

    private static byte[] ownPixels(byte[] tiff) throws IOException, LzwTiffStrips.Refused {
        ImageReader reader = tiffReader(tiff);
        try {
            int w = reader.getWidth(0);
            int h = reader.getHeight(0);
            LzwTiffStrips strips = LzwTiffStrips.of(reader, w, h);
            if (strips == null) {
                return null;
            }
            BufferedImage image = strips.read(0, h);
            return ((DataBufferByte) image.getRaster().getDataBuffer()).getData();
        } finally {
            reader.dispose();
        }
    }

    /**
     * Our image type is built from the IFD, not asked of the reader (whose first type tests an ICC profile): what
     * the luminance depends on must be the reader's (colour space kind and components, alpha and whether it is
     * premultiplied, sample sizes, transfer type, a palette's colours).
     */
    private static void assertSameKindOfModel(String name, byte[] tiff) throws Exception {
        ImageReader reader = tiffReader(tiff);
        try {
            ColorModel ours = LzwTiffStrips.of(reader, reader.getWidth(0), reader.getHeight(0)).read(0, 1)
                    .getColorModel();
            ColorModel theirs = reader.getImageTypes(0).next().getColorModel();
            assertEquals(theirs.getClass(), ours.getClass(), name);
            assertEquals(theirs.getColorSpace().getType(), ours.getColorSpace().getType(), name);
            assertEquals(theirs.getNumComponents(), ours.getNumComponents(), name);
            assertEquals(theirs.hasAlpha(), ours.hasAlpha(), name);
            assertEquals(theirs.isAlphaPremultiplied(), ours.isAlphaPremultiplied(), name);
            assertEquals(theirs.getTransparency(), ours.getTransparency(), name);
            assertEquals(theirs.getTransferType(), ours.getTransferType(), name);
            assertArrayEquals(theirs.getComponentSize(), ours.getComponentSize(), name);
            if (theirs instanceof IndexColorModel palette) {
                IndexColorModel ourPalette = (IndexColorModel) ours;
                int[] a = new int[palette.getMapSize()];
                int[] b = new int[ourPalette.getMapSize()];
                palette.getRGBs(a);
                ourPalette.getRGBs(b);
                assertArrayEquals(a, b, name);
            }
        } finally {
            reader.dispose();
        }
    }

    private static byte[] jdkPixels(byte[] tiff) throws IOException {
        ImageReader reader = tiffReader(tiff);
        try {
            return ((DataBufferByte) reader.read(0).getRaster().getDataBuffer()).getData();
        } finally {
            reader.dispose();
        }
    }

    private static ImageReader tiffReader(byte[] tiff) throws IOException {
        ImageInputStream in = new MemoryCacheImageInputStream(new ByteArrayInputStream(tiff));
        ImageReader reader = Readers.find(in);
        assertNotNull(reader);
        assertEquals("tif", Readers.format(reader));
        reader.setInput(in, false, false);
        return reader;
    }

    /** LZW TIFFs as the JDK's writer makes them (strips of about 8 KB, so most have several). */
    private static Map<String, byte[]> written() throws IOException {
        Map<String, byte[]> out = new LinkedHashMap<>();
        int[][] sizes = {{1, 1}, {7, 5}, {333, 211}, {1000, 3}};
        int[] types = {BufferedImage.TYPE_BYTE_GRAY, BufferedImage.TYPE_3BYTE_BGR, BufferedImage.TYPE_4BYTE_ABGR,
                BufferedImage.TYPE_4BYTE_ABGR_PRE, BufferedImage.TYPE_BYTE_INDEXED};
        for (int[] size : sizes) {
            for (int type : types) {
                out.put("written-" + type + "-" + size[0] + "x" + size[1], lzwTiff(drawn(size[0], size[1], type)));
            }
        }
        // grey with alpha, as straight and as premultiplied (associated) alpha: ExtraSamples 2 and 1
        for (boolean premultiplied : new boolean[] {false, true}) {
            ColorModel greyAlpha = new ComponentColorModel(ColorSpace.getInstance(ColorSpace.CS_GRAY),
                    new int[] {8, 8}, true, premultiplied, Transparency.TRANSLUCENT, DataBuffer.TYPE_BYTE);
            BufferedImage image = new BufferedImage(greyAlpha, greyAlpha.createCompatibleWritableRaster(257, 9),
                    premultiplied, null);
            new Random(premultiplied ? 3 : 5).nextBytes(((DataBufferByte) image.getRaster().getDataBuffer()).getData());
            out.put("written-grey-alpha" + (premultiplied ? "-premultiplied" : ""), lzwTiff(image));
        }
        // noise does not compress: the code table fills and clear codes follow
        BufferedImage noise = new BufferedImage(512, 384, BufferedImage.TYPE_3BYTE_BGR);
        new Random(7).nextBytes(((DataBufferByte) noise.getRaster().getDataBuffer()).getData());
        out.put("written-noise", lzwTiff(noise));
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

    private static byte[] lzwTiff(BufferedImage image) throws IOException {
        ImageWriter writer = ImageIO.getImageWritersByFormatName("tiff").next();
        ImageWriteParam param = writer.getDefaultWriteParam();
        param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
        param.setCompressionType("LZW");
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ImageOutputStream out = ImageIO.createImageOutputStream(bytes)) {
            writer.setOutput(out);
            writer.write(null, new IIOImage(image, null, null), param);
        } finally {
            writer.dispose();
        }
        return bytes.toByteArray();
    }

    private static String outcome(ImageHasher hasher, byte[] data) {
        try {
            ImageHashes h = hasher.hash(data);
            return "hashed " + h.width() + "x" + h.height() + " " + h.dhash() + " " + h.phash();
        } catch (UndecodableImageException | ImageTooLargeException e) {
            return "refused: " + e.getMessage();
        }
    }

    private static List<Path> tiffs(Path dir) throws IOException {
        List<Path> out = new ArrayList<>();
        try (Stream<Path> s = Files.list(dir)) {
            s.filter(p -> {
                String n = p.getFileName().toString().toLowerCase(Locale.ROOT);
                return n.endsWith(".tif") || n.endsWith(".tiff");
            }).sorted().forEach(out::add);
        }
        return out;
    }
}
