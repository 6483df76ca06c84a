package dev.exifq.hashing;

import java.io.IOException;
import java.nio.ByteOrder;

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
    private static final int SHORT = 3;
    private static final int LONG = 4;
    /** More entries than any real IFD holds (the baseline and EXIF tags are a few dozen): not a file to trust. */
    private static final int MAX_ENTRIES = 4096;
    /** One BitsPerSample value per sample; real files have up to five samples, so more is left to the reader. */
    private static final int MAX_SAMPLE_VALUES = 64;

    private TiffPixelBytes() {
    }

    /** The bytes per pixel, or null if this is not the JDK's TIFF reader on a stream, or the IFD does not say. */
    static Integer of(ImageReader reader) throws IOException {
        if (!reader.getClass().getName().startsWith(JDK_TIFF_READER)
                || !(reader.getInput() instanceof ImageInputStream in)) {
            return null;
        }
        ByteOrder order = in.getByteOrder();
        in.mark();
        try {
            in.seek(0);
            return read(in);
        } finally {
            in.reset();
            in.setByteOrder(order);
        }
    }

    private static Integer read(ImageInputStream in) throws IOException {
        int b0 = in.read();
        int b1 = in.read();
        if (b0 == 'I' && b1 == 'I') {
            in.setByteOrder(ByteOrder.LITTLE_ENDIAN);
        } else if (b0 == 'M' && b1 == 'M') {
            in.setByteOrder(ByteOrder.BIG_ENDIAN);
        } else {
            return null;
        }
        if (in.readUnsignedShort() != 42) {
            return null; // BigTIFF (43) and anything else: the JDK reader does not read them
        }
        in.seek(in.readUnsignedInt());
        int entries = in.readUnsignedShort();
        if (entries > MAX_ENTRIES) {
            return null;
        }
        long samples = -1;
        long bits = -1;
        for (int i = 0; i < entries; i++) {
            int tag = in.readUnsignedShort();
            int type = in.readUnsignedShort();
            long count = in.readUnsignedInt();
            long valueAt = in.getStreamPosition();
            boolean first = tag == SAMPLES_PER_PIXEL ? samples < 0 : tag == BITS_PER_SAMPLE && bits < 0;
            if (first) {
                if ((type != SHORT && type != LONG) || count < 1 || count > MAX_SAMPLE_VALUES) {
                    return null; // a layout no real file has: left to the reader
                }
                int size = type == SHORT ? 2 : 4;
                if (count * size > 4) {
                    in.seek(in.readUnsignedInt());
                }
                long max = 0;
                for (long v = 0; v < (tag == SAMPLES_PER_PIXEL ? 1 : count); v++) {
                    max = Math.max(max, type == SHORT ? in.readUnsignedShort() : in.readUnsignedInt());
                }
                if (tag == SAMPLES_PER_PIXEL) {
                    samples = max;
                } else {
                    bits = max;
                }
            }
            in.seek(valueAt + 4);
        }
        samples = samples < 0 ? 1 : samples; // the TIFF defaults
        bits = bits < 0 ? 1 : bits;
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
