package dev.exifq.hashing;

import java.awt.color.ColorSpace;
import java.awt.image.ColorModel;
import java.awt.image.ComponentColorModel;
import java.awt.image.ComponentSampleModel;
import java.awt.image.DataBuffer;
import java.awt.image.DataBufferByte;
import java.awt.image.IndexColorModel;
import java.awt.image.PackedColorModel;
import java.awt.image.Raster;
import java.awt.image.SampleModel;

/**
 * Converts decoded rows to 8-bit luminance exactly as Pillow 9.4's {@code Image.convert("L")} does for the
 * mode Pillow would have opened the file in (Convert.c, Unpack.c), working from the raw samples of a
 * {@link Raster} so that no Java colour management (ICC profiles, gamma) is applied:
 * <ul>
 * <li>RGB, RGBA, RGBX: {@code L = (r*19595 + g*38470 + b*7471 + 0x8000) >> 16} (Convert.c L24), alpha
 * ignored;</li>
 * <li>P (palette) and 1-bit: the same formula on the palette entry (a 1-bit image's entries are 0 and 255);</li>
 * <li>L, LA: the grey value; 16-bit grey without alpha is Pillow mode I / I;16, whose conversion to L clips
 * to 0..255; 16-bit grey with alpha and 16-bit colour keep the high byte (Pillow's ";16" unpackers);</li>
 * <li>CMYK: Convert.c cmyk2rgb ({@code nk = 255 - k; r = nk - nk*c/255} with Pillow's rounding
 * MULDIV255) then L24;</li>
 * <li>RGBA with associated (premultiplied) alpha, as TIFF ExtraSamples=1: Unpack.c unpackRGBa divides the
 * colour by alpha first ({@code min(255, c*255/a)}, 0 where a is 0).</li>
 * </ul>
 * Instances are immutable and may be shared.
 */
final class PillowLuma {

    enum Kind { PALETTE, GRAY, GRAY16_CLIP, RGB, RGB_PREMULTIPLIED, YCBCR, CMYK, CMYK_INVERTED, YCCK_INVERTED, GENERIC }

    private final Kind kind;
    private final ColorModel colorModel;
    /** PALETTE: luminance of each palette index. */
    private final int[] paletteLuma;
    /** Per band: how to bring a sample to 8 bits (8 = as is, 16 = high byte, other = v * 255 / max). */
    private final int[] bits;
    private final int grayBand;
    private final int[] colorBands;
    private final int alphaBand;

    private PillowLuma(Kind kind, ColorModel cm, int[] paletteLuma, int[] bits, int grayBand, int[] colorBands,
            int alphaBand) {
        this.kind = kind;
        this.colorModel = cm;
        this.paletteLuma = paletteLuma;
        this.bits = bits;
        this.grayBand = grayBand;
        this.colorBands = colorBands;
        this.alphaBand = alphaBand;
    }

    Kind kind() {
        return kind;
    }

    /** Luminance of a palette index (0 for an index outside the palette, as Pillow's zero-filled palette). */
    int paletteLuma(int index) {
        if (paletteLuma == null || index < 0 || index >= paletteLuma.length) {
            return 0;
        }
        return paletteLuma[index];
    }

    /** Pillow's L24 luminance of an 8-bit RGB triple. */
    static int l24(int r, int g, int b) {
        return (r * 19595 + g * 38470 + b * 7471 + 0x8000) >>> 16;
    }

    /** Pillow's MULDIV255 macro: a * b / 255 rounded. */
    static int mulDiv255(int a, int b) {
        int tmp = a * b + 128;
        return ((tmp >> 8) + tmp) >> 8;
    }

    static int clip8(int v) {
        return v < 0 ? 0 : Math.min(v, 255);
    }

    /** Convert.c cmyk2rgb followed by L24. */
    static int cmykLuma(int c, int m, int y, int k) {
        int nk = 255 - k;
        int r = clip8(nk - mulDiv255(c, nk));
        int g = clip8(nk - mulDiv255(m, nk));
        int b = clip8(nk - mulDiv255(y, nk));
        return l24(r, g, b);
    }

    /**
     * A converter for a palette whose RGB entries are given explicitly (used where Pillow derives the
     * palette differently from Java, as for TIFF colour maps).
     */
    static PillowLuma forPalette(ColorModel cm, int[] r, int[] g, int[] b) {
        int[] lut = new int[Math.max(256, r.length)];
        for (int i = 0; i < r.length; i++) {
            lut[i] = l24(r[i], g[i], b[i]);
        }
        return new PillowLuma(Kind.PALETTE, cm, lut, null, 0, null, -1);
    }

    /**
     * A converter for the raw (not colour-converted) samples of a JPEG coded in the given colour space, as
     * libjpeg converts them for Pillow: YCbCr to RGB with libjpeg's integer tables; CMYK and YCCK to CMYK,
     * which Pillow then reads as "CMYK;I" (Adobe's inverted convention).
     */
    static PillowLuma forJpeg(JpegHeader.ColorSpace cs) {
        int[] eight = {8, 8, 8, 8};
        return switch (cs) {
            case GRAYSCALE -> new PillowLuma(Kind.GRAY, null, null, eight, 0, null, -1);
            case YCBCR -> new PillowLuma(Kind.YCBCR, null, null, eight, 0, new int[] {0, 1, 2}, -1);
            case RGB -> new PillowLuma(Kind.RGB, null, null, eight, 0, new int[] {0, 1, 2}, -1);
            case CMYK -> new PillowLuma(Kind.CMYK_INVERTED, null, null, eight, 0, new int[] {0, 1, 2, 3}, -1);
            case YCCK -> new PillowLuma(Kind.YCCK_INVERTED, null, null, eight, 0, new int[] {0, 1, 2, 3}, -1);
            case UNKNOWN -> throw new IllegalArgumentException("unsupported JPEG colour space");
        };
    }

    static PillowLuma forColorModel(ColorModel cm, SampleModel sm) {
        if (cm instanceof IndexColorModel icm) {
            int size = icm.getMapSize();
            int[] r = new int[size];
            int[] g = new int[size];
            int[] b = new int[size];
            for (int i = 0; i < size; i++) {
                r[i] = icm.getRed(i);
                g[i] = icm.getGreen(i);
                b[i] = icm.getBlue(i);
            }
            return forPalette(cm, r, g, b);
        }
        int numBands = sm.getNumBands();
        int[] bits = new int[numBands];
        boolean integral = sm.getDataType() == DataBuffer.TYPE_BYTE || sm.getDataType() == DataBuffer.TYPE_USHORT
                || sm.getDataType() == DataBuffer.TYPE_INT || sm.getDataType() == DataBuffer.TYPE_SHORT;
        boolean usable = integral && (cm instanceof ComponentColorModel || cm instanceof PackedColorModel)
                && cm.getNumComponents() == numBands;
        if (usable) {
            for (int i = 0; i < numBands; i++) {
                bits[i] = cm.getComponentSize(i);
                if (bits[i] < 1 || bits[i] > 16) {
                    usable = false;
                }
            }
        }
        if (!usable) {
            return new PillowLuma(Kind.GENERIC, cm, null, null, 0, null, -1);
        }
        int csType = cm.getColorSpace().getType();
        int nColor = cm.getNumColorComponents();
        int alphaBand = cm.hasAlpha() ? nColor : -1;
        if (csType == ColorSpace.TYPE_GRAY && nColor == 1) {
            if (bits[0] == 16 && !cm.hasAlpha() && cm instanceof ComponentColorModel) {
                // Pillow opens 16-bit greyscale as mode I (PNG) or I;16 (TIFF); convert("L") clips
                return new PillowLuma(Kind.GRAY16_CLIP, cm, null, bits, 0, null, alphaBand);
            }
            return new PillowLuma(Kind.GRAY, cm, null, bits, 0, null, alphaBand);
        }
        if (csType == ColorSpace.TYPE_RGB && nColor == 3) {
            boolean premultiplied = cm.hasAlpha() && cm.isAlphaPremultiplied();
            return new PillowLuma(premultiplied ? Kind.RGB_PREMULTIPLIED : Kind.RGB, cm, null, bits, 0,
                    new int[] {0, 1, 2}, alphaBand);
        }
        if (csType == ColorSpace.TYPE_CMYK && nColor == 4) {
            return new PillowLuma(Kind.CMYK, cm, null, bits, 0, new int[] {0, 1, 2, 3}, alphaBand);
        }
        return new PillowLuma(Kind.GENERIC, cm, null, null, 0, null, -1);
    }

    /** Reusable per-image scratch space. */
    static final class Scratch {
        final int[][] samples;

        Scratch(int bands, int width) {
            samples = new int[bands][width];
        }
    }

    Scratch newScratch(Raster raster) {
        return new Scratch(raster.getNumBands(), raster.getWidth());
    }

    /** Writes the luminance of raster row {@code y} (all of its width) into {@code out[0..width)}. */
    void convertRow(Raster raster, int y, int[] out, Scratch scratch) {
        int w = raster.getWidth();
        int x0 = raster.getMinX();
        int ry = raster.getMinY() + y;
        switch (kind) {
            case PALETTE -> {
                int[] s = scratch.samples[0];
                raster.getSamples(x0, ry, w, 1, 0, s);
                for (int x = 0; x < w; x++) {
                    int idx = s[x];
                    out[x] = (idx >= 0 && idx < paletteLuma.length ? paletteLuma[idx] : 0);
                }
            }
            case GRAY -> {
                int[] s = band(raster, x0, ry, w, grayBand, scratch);
                int b = bits[grayBand];
                for (int x = 0; x < w; x++) {
                    out[x] = to8(s[x], b);
                }
            }
            case GRAY16_CLIP -> {
                int[] s = band(raster, x0, ry, w, grayBand, scratch);
                for (int x = 0; x < w; x++) {
                    out[x] = clip8(s[x]);
                }
            }
            case RGB -> {
                if (fastRgbRow(raster, x0, ry, w, out)) {
                    return;
                }
                int[] r = band(raster, x0, ry, w, colorBands[0], scratch);
                int[] g = band(raster, x0, ry, w, colorBands[1], scratch);
                int[] b = band(raster, x0, ry, w, colorBands[2], scratch);
                int br = bits[colorBands[0]];
                int bg = bits[colorBands[1]];
                int bb = bits[colorBands[2]];
                for (int x = 0; x < w; x++) {
                    out[x] = l24(to8(r[x], br), to8(g[x], bg), to8(b[x], bb));
                }
            }
            case YCBCR -> {
                if (fastRgbRow(raster, x0, ry, w, out)) {
                    return;
                }
                int[] yv = band(raster, x0, ry, w, colorBands[0], scratch);
                int[] cb = band(raster, x0, ry, w, colorBands[1], scratch);
                int[] cr = band(raster, x0, ry, w, colorBands[2], scratch);
                for (int x = 0; x < w; x++) {
                    int luma = yv[x] & 0xFF;
                    int b1 = cb[x] & 0xFF;
                    int r1 = cr[x] & 0xFF;
                    out[x] = JpegYcc.luma(luma, b1, r1);
                }
            }
            case RGB_PREMULTIPLIED -> {
                int[] r = band(raster, x0, ry, w, colorBands[0], scratch);
                int[] g = band(raster, x0, ry, w, colorBands[1], scratch);
                int[] b = band(raster, x0, ry, w, colorBands[2], scratch);
                int[] a = band(raster, x0, ry, w, alphaBand, scratch);
                for (int x = 0; x < w; x++) {
                    int av = to8(a[x], bits[alphaBand]);
                    int rv = to8(r[x], bits[colorBands[0]]);
                    int gv = to8(g[x], bits[colorBands[1]]);
                    int bv = to8(b[x], bits[colorBands[2]]);
                    // Unpack.c unpackRGBa
                    if (av == 0) {
                        rv = gv = bv = 0;
                    } else if (av != 255) {
                        rv = clip8(rv * 255 / av);
                        gv = clip8(gv * 255 / av);
                        bv = clip8(bv * 255 / av);
                    }
                    out[x] = l24(rv, gv, bv);
                }
            }
            case CMYK, CMYK_INVERTED, YCCK_INVERTED -> {
                int[] c = band(raster, x0, ry, w, colorBands[0], scratch);
                int[] m = band(raster, x0, ry, w, colorBands[1], scratch);
                int[] ye = band(raster, x0, ry, w, colorBands[2], scratch);
                int[] k = band(raster, x0, ry, w, colorBands[3], scratch);
                for (int x = 0; x < w; x++) {
                    int cv = to8(c[x], bits[colorBands[0]]);
                    int mv = to8(m[x], bits[colorBands[1]]);
                    int yv = to8(ye[x], bits[colorBands[2]]);
                    int kv = to8(k[x], bits[colorBands[3]]);
                    if (kind == Kind.YCCK_INVERTED) {
                        // libjpeg jdcolor.c ycck_cmyk_convert: C, M, Y = 255 - (the RGB of Y Cb Cr), K as is
                        int luma = cv;
                        int cb = mv;
                        int cr = yv;
                        cv = 255 - JpegYcc.red(luma, cr);
                        mv = 255 - JpegYcc.green(luma, cb, cr);
                        yv = 255 - JpegYcc.blue(luma, cb);
                    }
                    if (kind != Kind.CMYK) {
                        // Pillow reads CMYK JPEG as rawmode "CMYK;I" (Adobe's inverted convention)
                        cv = 255 - cv;
                        mv = 255 - mv;
                        yv = 255 - yv;
                        kv = 255 - kv;
                    }
                    out[x] = cmykLuma(cv, mv, yv, kv);
                }
            }
            default -> {
                Object pixel = null;
                for (int x = 0; x < w; x++) {
                    pixel = raster.getDataElements(x0 + x, ry, pixel);
                    int argb = colorModel.getRGB(pixel);
                    out[x] = l24((argb >> 16) & 0xFF, (argb >> 8) & 0xFF, argb & 0xFF);
                }
            }
        }
    }

    /**
     * Fast path for 8-bit interleaved RGB(A) or YCbCr in a byte buffer (every JPEG, most PNG and TIFF):
     * reads the bytes directly instead of sample by sample.
     */
    private boolean fastRgbRow(Raster raster, int x0, int ry, int w, int[] out) {
        SampleModel sm = raster.getSampleModel();
        if (!(sm instanceof ComponentSampleModel csm) || !(raster.getDataBuffer() instanceof DataBufferByte dbb)
                || bits[colorBands[0]] != 8 || bits[colorBands[1]] != 8 || bits[colorBands[2]] != 8
                || dbb.getNumBanks() != 1) {
            return false;
        }
        int[] bankIndices = csm.getBankIndices();
        for (int i : bankIndices) {
            if (i != 0) {
                return false;
            }
        }
        byte[] data = dbb.getData();
        int[] offsets = csm.getBandOffsets();
        int pixelStride = csm.getPixelStride();
        int base = dbb.getOffset() + (ry - raster.getSampleModelTranslateY()) * csm.getScanlineStride()
                + (x0 - raster.getSampleModelTranslateX()) * pixelStride;
        int or = offsets[colorBands[0]];
        int og = offsets[colorBands[1]];
        int ob = offsets[colorBands[2]];
        if (kind == Kind.YCBCR) {
            for (int x = 0, p = base; x < w; x++, p += pixelStride) {
                int luma = data[p + or] & 0xFF;
                int cb = data[p + og] & 0xFF;
                int cr = data[p + ob] & 0xFF;
                out[x] = JpegYcc.luma(luma, cb, cr);
            }
        } else {
            for (int x = 0, p = base; x < w; x++, p += pixelStride) {
                out[x] = l24(data[p + or] & 0xFF, data[p + og] & 0xFF, data[p + ob] & 0xFF);
            }
        }
        return true;
    }

    private static int[] band(Raster raster, int x0, int ry, int w, int band, Scratch scratch) {
        return raster.getSamples(x0, ry, w, 1, band, scratch.samples[band]);
    }

    /** Brings a sample of {@code bits} bits to 8 bits as Pillow's unpackers do. */
    private static int to8(int v, int bits) {
        if (bits == 8) {
            return v & 0xFF;
        }
        if (bits == 16) {
            return (v >> 8) & 0xFF;
        }
        if (bits > 8) {
            return (v >> (bits - 8)) & 0xFF;
        }
        int max = (1 << bits) - 1;
        return v * 255 / max;
    }
}
