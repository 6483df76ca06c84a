package dev.exifq.hashing;

import java.io.IOException;
import java.util.Map;

import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

/**
 * Bytes a pixel of a TIFF's first image takes in the JDK reader's raster, from its first IFD's SamplesPerPixel and
 * BitsPerSample, read here. The reader's own answer ({@code getRawImageType}) goes through {@code getImageTypes},
 * which tests an embedded ICC profile by converting a colour with it (an LCMS transform, 2-4 ms of CPU per file;
 * JDK-8145241's workaround), and the reader's metadata object, the other way to the tags, copies every tag into a
 * DOM tree (an ICC profile byte by byte, about as slow): the large-image check of a TIFF with a profile paid
 * for either.
 *
 * <p>Equal to the reader's figure for the layouts it decodes (TiffPixelBytesTest holds them side by side for the
 * corpus and fixtures: grey, 16-bit grey, bilevel, palette, RGB, RGBA, CMYK); where the samples are packed in fewer
 * bytes than one per sample it is larger, which only sends an image to the large-image lane or into smaller bands
 * sooner.
 */
final class TiffPixelBytes {
    private static final String JDK_TIFF_READER = "com.sun.imageio.plugins.tiff.";
    private static final int SAMPLES_PER_PIXEL = 277;
    private static final int BITS_PER_SAMPLE = 258;
    /** One BitsPerSample value per sample; real files have up to five samples, so more is left to the reader. */
    private static final int MAX_SAMPLE_VALUES = 64;
    private static final Map<Integer, Integer> TAGS = Map.of(
            SAMPLES_PER_PIXEL, MAX_SAMPLE_VALUES, BITS_PER_SAMPLE, MAX_SAMPLE_VALUES);

    private TiffPixelBytes() {
    }

    /** The bytes per pixel, or null if this is not the JDK's TIFF reader on a stream, or the IFD does not say. */
    static Integer of(ImageReader reader) throws IOException {
        if (!reader.getClass().getName().startsWith(JDK_TIFF_READER)
                || !(reader.getInput() instanceof ImageInputStream in)) {
            return null;
        }
        TiffFirstIfd ifd = TiffFirstIfd.read(in, TAGS);
        if (ifd == null || ifd.unreadable(SAMPLES_PER_PIXEL) || ifd.unreadable(BITS_PER_SAMPLE)) {
            return null; // a layout no real file has: left to the reader
        }
        long samples = ifd.first(SAMPLES_PER_PIXEL, 1); // the TIFF defaults
        long bits = 1;
        long[] bitsPerSample = ifd.values(BITS_PER_SAMPLE);
        if (bitsPerSample != null) {
            bits = 0;
            for (long b : bitsPerSample) {
                bits = Math.max(bits, b);
            }
        }
        if (samples < 1 || samples > 0xFFFF || bits < 1 || bits > 64) {
            return null;
        }
        if (samples == 1 && bits < 8) {
            return 1; // bilevel and 2- or 4-bit grey or palette: packed, one byte per pixel in the reader's terms
        }
        int perSample = bits <= 8 ? 1 : bits <= 16 ? 2 : bits <= 32 ? 4 : 8;
        return (int) samples * perSample;
    }
}
