package dev.exifq.hashing;

import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.DataBuffer;
import java.awt.image.DataBufferByte;
import java.awt.image.PixelInterleavedSampleModel;
import java.awt.image.SampleModel;
import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Iterator;
import java.util.Map;

import javax.imageio.ImageReader;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.plugins.tiff.BaselineTIFFTagSet;
import javax.imageio.stream.ImageInputStream;

/**
 * Reads the commonest LZW TIFF layout (8-bit grey, palette or RGB samples, with or without alpha, interleaved,
 * in strips, without or with horizontal differencing) with {@link TiffLzw} instead of the JDK's decoder, into
 * the same kind of image the JDK's reader would return, so the rest of the hashing is unchanged. Any other
 * layout gets no instance, and anything unexpected on the way throws {@link Refused}: the caller then hashes the
 * file with the JDK's reader from the start, so damaged files get exactly the answer they got before.
 */
final class LzwTiffStrips implements OwnBands {
    /** This file is left to the JDK's reader. */
    static final class Refused extends OwnBands.Refused {
        Refused(String why) {
            super(why);
        }
    }

    private static final int LZW = 5;
    private static final VarHandle PIXEL = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    private static final int PREDICTOR_HORIZONTAL = 2;
    /** A strip per row of a 262,144-row image at most; more is left to the JDK's reader. */
    private static final int MAX_STRIPS = 1 << 18;
    /** One value per sample; real files have up to five samples. */
    private static final int MAX_SAMPLE_VALUES = 64;
    private static final Map<Integer, Integer> TAGS = Map.ofEntries(
            Map.entry(BaselineTIFFTagSet.TAG_SAMPLES_PER_PIXEL, 1),
            Map.entry(BaselineTIFFTagSet.TAG_PHOTOMETRIC_INTERPRETATION, 1),
            Map.entry(BaselineTIFFTagSet.TAG_PREDICTOR, 1),
            Map.entry(BaselineTIFFTagSet.TAG_COMPRESSION, 1),
            Map.entry(BaselineTIFFTagSet.TAG_PLANAR_CONFIGURATION, 1),
            Map.entry(BaselineTIFFTagSet.TAG_FILL_ORDER, 1),
            Map.entry(BaselineTIFFTagSet.TAG_TILE_WIDTH, 1),
            Map.entry(BaselineTIFFTagSet.TAG_COLOR_MAP, 3 << 16),
            Map.entry(BaselineTIFFTagSet.TAG_BITS_PER_SAMPLE, MAX_SAMPLE_VALUES),
            Map.entry(BaselineTIFFTagSet.TAG_SAMPLE_FORMAT, MAX_SAMPLE_VALUES),
            Map.entry(BaselineTIFFTagSet.TAG_EXTRA_SAMPLES, MAX_SAMPLE_VALUES),
            Map.entry(BaselineTIFFTagSet.TAG_ROWS_PER_STRIP, 1),
            Map.entry(BaselineTIFFTagSet.TAG_STRIP_OFFSETS, MAX_STRIPS),
            Map.entry(BaselineTIFFTagSet.TAG_STRIP_BYTE_COUNTS, MAX_STRIPS));
    private static final ColorSpace SRGB = ColorSpace.getInstance(ColorSpace.CS_sRGB);
    // LZW's worst case is 12 bits per byte; a strip that claims far more than that is not a strip we decode
    private static final long MAX_EXPANSION_SLACK = 1 << 16;
    // a strip is decoded whole; bigger ones (a single-strip image, say) stay with the JDK's reader as before, so
    // this path never holds more than the JDK path's 24 Mpx band does
    private static final long MAX_STRIP_BYTES = 72L << 20;

    private final ImageInputStream in;
    private final ImageTypeSpecifier type;
    private final int width;
    private final int height;
    private final int samples;
    private final int rowBytes;
    private final int rowsPerStrip;
    private final long[] offsets;
    private final long[] byteCounts;
    private final boolean horizontalDifferencing;
    private final TiffLzw lzw = new TiffLzw();
    private int decodedStrip = -1;
    private byte[] strip = new byte[0];
    private byte[] compressed = new byte[0];

    private LzwTiffStrips(ImageInputStream in, ImageTypeSpecifier type, int width, int height, int samples,
            int rowsPerStrip, long[] offsets, long[] byteCounts, boolean horizontalDifferencing) {
        this.in = in;
        this.type = type;
        this.width = width;
        this.height = height;
        this.samples = samples;
        this.rowBytes = width * samples;
        this.rowsPerStrip = rowsPerStrip;
        this.offsets = offsets;
        this.byteCounts = byteCounts;
        this.horizontalDifferencing = horizontalDifferencing;
    }

    /** For the first image of a TIFF the JDK's reader has open, or null when its layout is not one we decode. */
    static LzwTiffStrips of(ImageReader reader, int width, int height) {
        try {
            if (!(reader.getInput() instanceof ImageInputStream in)
                    || !reader.getClass().getName().startsWith("com.sun.imageio.plugins.tiff.")) {
                return null;
            }
            TiffFirstIfd dir = TiffFirstIfd.read(in, TAGS);
            if (dir == null || dir.anyDoubtful()) {
                return null;
            }
            int samples = (int) dir.first(BaselineTIFFTagSet.TAG_SAMPLES_PER_PIXEL, 1);
            int photometric = (int) dir.first(BaselineTIFFTagSet.TAG_PHOTOMETRIC_INTERPRETATION, -1);
            int predictor = (int) dir.first(BaselineTIFFTagSet.TAG_PREDICTOR, 1);
            boolean palette = photometric == BaselineTIFFTagSet.PHOTOMETRIC_INTERPRETATION_PALETTE_COLOR;
            boolean supportedColour = (photometric == BaselineTIFFTagSet.PHOTOMETRIC_INTERPRETATION_BLACK_IS_ZERO
                    && samples <= 2 && !dir.present(BaselineTIFFTagSet.TAG_COLOR_MAP))
                    || (palette && samples == 1)
                    || (photometric == BaselineTIFFTagSet.PHOTOMETRIC_INTERPRETATION_RGB
                        && (samples == 3 || samples == 4));
            if (dir.first(BaselineTIFFTagSet.TAG_COMPRESSION, 1) != LZW || !supportedColour
                    || dir.first(BaselineTIFFTagSet.TAG_PLANAR_CONFIGURATION, 1) != 1
                    || dir.first(BaselineTIFFTagSet.TAG_FILL_ORDER, 1) != 1
                    || (predictor != 1 && predictor != PREDICTOR_HORIZONTAL)
                    || dir.present(BaselineTIFFTagSet.TAG_TILE_WIDTH)
                    || !allEqual(dir.values(BaselineTIFFTagSet.TAG_BITS_PER_SAMPLE), samples, 8, 1)
                    || !allEqual(dir.values(BaselineTIFFTagSet.TAG_SAMPLE_FORMAT), samples, 1, 1)) {
                return null;
            }
            long rows = dir.first(BaselineTIFFTagSet.TAG_ROWS_PER_STRIP, height);
            int rowsPerStrip = (int) Math.max(1, Math.min(rows, height));
            long[] offsets = dir.values(BaselineTIFFTagSet.TAG_STRIP_OFFSETS);
            long[] counts = dir.values(BaselineTIFFTagSet.TAG_STRIP_BYTE_COUNTS);
            int strips = (height + rowsPerStrip - 1) / rowsPerStrip;
            if (offsets == null || counts == null || offsets.length != strips || counts.length != strips) {
                return null;
            }
            ImageTypeSpecifier type = palette ? firstReaderType(reader) : componentType(samples, dir);
            if (type == null || !sameLayout(type.getSampleModel(width, 1), samples)) {
                return null;
            }
            return new LzwTiffStrips(in, type, width, height, samples, rowsPerStrip, offsets, counts,
                    predictor == PREDICTOR_HORIZONTAL);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /**
     * The type the JDK's reader gives 8-bit grey, grey + alpha, RGB and RGBA samples ({@code TIFFDecompressor}'s raw
     * type: alpha premultiplied when ExtraSamples says associated alpha). Its first type may instead carry an
     * embedded ICC profile's colour space, but only one of the same kind and number of components (grey or RGB; a
     * profile of another kind is refused), so the luminance comes out the same, as Pillow's, which ignores profiles.
     */
    private static ImageTypeSpecifier componentType(int samples, TiffFirstIfd dir) {
        long[] extra = dir.values(BaselineTIFFTagSet.TAG_EXTRA_SAMPLES);
        boolean premultiplied = extra != null && extra[0] == BaselineTIFFTagSet.EXTRA_SAMPLES_ASSOCIATED_ALPHA;
        return switch (samples) {
            case 1 -> ImageTypeSpecifier.createGrayscale(8, DataBuffer.TYPE_BYTE, false);
            case 2 -> ImageTypeSpecifier.createGrayscale(8, DataBuffer.TYPE_BYTE, false, premultiplied);
            case 3 -> ImageTypeSpecifier.createInterleaved(SRGB, new int[] {0, 1, 2}, DataBuffer.TYPE_BYTE, false,
                    false);
            case 4 -> ImageTypeSpecifier.createInterleaved(SRGB, new int[] {0, 1, 2, 3}, DataBuffer.TYPE_BYTE, true,
                    premultiplied);
            default -> null;
        };
    }

    /** A palette's colour map as the reader scales it; an IndexColorModel, so no ICC test is made. */
    private static ImageTypeSpecifier firstReaderType(ImageReader reader) throws IOException {
        Iterator<ImageTypeSpecifier> types = reader.getImageTypes(0);
        return types.hasNext() ? types.next() : null;
    }

    @Override
    public BufferedImage read(int y0, int rows) throws Refused {
        BufferedImage image = type.createBufferedImage(width, rows);
        byte[] pixels = ((DataBufferByte) image.getRaster().getDataBuffer()).getData();
        if (pixels.length != rowBytes * rows) {
            throw new Refused("unexpected raster layout");
        }
        for (int y = y0; y < y0 + rows; y++) {
            int s = y / rowsPerStrip;
            decodeStrip(s);
            System.arraycopy(strip, (y - s * rowsPerStrip) * rowBytes, pixels, (y - y0) * rowBytes, rowBytes);
        }
        return image;
    }

    private void decodeStrip(int s) throws Refused {
        if (s == decodedStrip) {
            return;
        }
        int rows = Math.min(rowsPerStrip, height - s * rowsPerStrip);
        long expected = (long) rowBytes * rows;
        long count = byteCounts[s];
        if (expected > MAX_STRIP_BYTES || count <= 0 || count > expected * 2 + MAX_EXPANSION_SLACK) {
            throw new Refused("strip size");
        }
        try {
            long available = in.length();
            if (available >= 0 && offsets[s] + count > available) {
                throw new Refused("strip beyond the end of the file");
            }
        } catch (IOException e) {
            throw new Refused("stream length: " + e.getMessage());
        }
        if (strip.length != expected) {
            strip = new byte[(int) expected];
        }
        if (compressed.length < count) {
            compressed = new byte[(int) count];
        }
        try {
            in.seek(offsets[s]);
            in.readFully(compressed, 0, (int) count);
        } catch (IOException | IndexOutOfBoundsException e) {
            throw new Refused("strip data: " + e.getMessage());
        }
        decodedStrip = -1;
        if (!lzw.decode(compressed, (int) count, strip)) {
            throw new Refused("LZW data");
        }
        if (horizontalDifferencing) {
            undoDifferencing(strip, rows, rowBytes, samples);
        }
        decodedStrip = s;
    }

    /**
     * Predictor 2: each sample was stored as the difference from the same sample of the pixel before. The running
     * values are kept in locals (for four samples, in one int added byte by byte): the plain loop
     * ({@code strip[i] += strip[i - samples]}), which waits on the store it made a few bytes back, was 60 % of the
     * time spent hashing the corpus's ten TIFFs.
     */
    static void undoDifferencing(byte[] strip, int rows, int rowBytes, int samples) {
        for (int r = 0; r < rows; r++) {
            int rowStart = r * rowBytes;
            int end = rowStart + rowBytes;
            if (rowBytes <= samples) {
                continue; // one pixel a row: nothing to add
            }
            if (samples == 4) {
                // a pixel's four bytes added to the previous pixel's at once, each byte wrapping on its own
                int sum = (int) PIXEL.get(strip, rowStart);
                for (int i = rowStart + 4; i < end; i += 4) {
                    int x = (int) PIXEL.get(strip, i);
                    sum = ((sum & 0x7f7f7f7f) + (x & 0x7f7f7f7f)) ^ ((sum ^ x) & 0x80808080);
                    PIXEL.set(strip, i, sum);
                }
            } else if (samples == 3) {
                byte a = strip[rowStart], b = strip[rowStart + 1], c = strip[rowStart + 2];
                for (int i = rowStart + 3; i < end; i += 3) {
                    strip[i] = a += strip[i];
                    strip[i + 1] = b += strip[i + 1];
                    strip[i + 2] = c += strip[i + 2];
                }
            } else {
                for (int i = rowStart + samples; i < end; i++) {
                    strip[i] += strip[i - samples];
                }
            }
        }
    }

    private static boolean sameLayout(SampleModel model, int samples) {
        if (!(model instanceof PixelInterleavedSampleModel pixels) || model.getDataType() != DataBuffer.TYPE_BYTE
                || pixels.getPixelStride() != samples || pixels.getNumBands() != samples) {
            return false;
        }
        if (pixels.getScanlineStride() != model.getWidth() * samples) {
            return false;
        }
        int[] bandOffsets = pixels.getBandOffsets();
        for (int b = 0; b < samples; b++) {
            if (bandOffsets[b] != b) {
                return false;
            }
        }
        return true;
    }

    /**
     * Whether a per-sample field is absent (then {@code absent} must equal {@code value}) or has that value for every
     * sample.
     */
    private static boolean allEqual(long[] values, int samples, int value, int absent) {
        if (values == null) {
            return absent == value;
        }
        for (int i = 0; i < samples; i++) {
            if (values[Math.min(i, values.length - 1)] != value) {
                return false;
            }
        }
        return true;
    }
}
