package dev.exifq.hashing;

import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Pillow 9.4's {@code Image.resize(size, Image.LANCZOS)} for an 8-bit single-band ("L") image, reproduced
 * operation for operation from {@code src/libImaging/Resample.c} so that the output bytes are identical.
 *
 * <p>Pillow resizes in two separable passes: first horizontally (only if the width changes) into a
 * temporary 8-bit image holding just the source rows the vertical pass will read, then vertically (only if
 * the height changes). Filter weights are computed in double precision ({@code precompute_coeffs}:
 * Lanczos support 3 scaled by the downscale factor, each output pixel's weights normalised to sum 1),
 * then turned into fixed point with {@code PRECISION_BITS = 32 - 8 - 2 = 22} fractional bits
 * ({@code normalize_coeffs_8bpc}); each pass starts the accumulator at one half (rounding), adds
 * {@code pixel * weight} in 32-bit ints and clips {@code acc >> 22} to 0..255 after every pass.
 *
 * <p>This class is fed the source one row at a time (top to bottom), so the caller never needs the whole
 * source image in memory: it keeps only the horizontally resampled rows (outWidth bytes each).
 * Not thread-safe; use one instance per image.
 */
final class LanczosResampler {
    private static final int PRECISION_BITS = 32 - 8 - 2;
    private static final double SUPPORT = 3.0;

    private final int inWidth;
    private final int inHeight;
    private final int outWidth;
    private final int outHeight;
    private final boolean needHorizontal;
    private final boolean needVertical;

    private final Coeffs horiz;
    private final Coeffs vert;
    /** First and one-past-last source rows that the vertical pass reads. */
    private final int yFirst;
    private final int yLast;
    /** Horizontally resampled rows yFirst..yLast-1, outWidth bytes each (or the source rows if no horizontal pass). */
    private final byte[] temp;

    LanczosResampler(int inWidth, int inHeight, int outWidth, int outHeight) {
        if (inWidth <= 0 || inHeight <= 0 || outWidth <= 0 || outHeight <= 0) {
            throw new IllegalArgumentException("sizes must be positive");
        }
        this.inWidth = inWidth;
        this.inHeight = inHeight;
        this.outWidth = outWidth;
        this.outHeight = outHeight;
        // Resample.c: need_horizontal = xsize != imIn->xsize || box[0] || box[2] != xsize; box = (0, 0, w, h)
        this.needHorizontal = outWidth != inWidth;
        this.needVertical = outHeight != inHeight;
        this.vert = Coeffs.of(inHeight, outHeight);
        this.yFirst = vert.bounds[0];
        this.yLast = vert.bounds[(outHeight - 1) * 2] + vert.bounds[(outHeight - 1) * 2 + 1];
        this.horiz = needHorizontal ? Coeffs.of(inWidth, outWidth) : null;
        int tempWidth = needHorizontal ? outWidth : inWidth;
        this.temp = new byte[Math.multiplyExact(tempWidth, yLast - yFirst)];
    }

    /**
     * Accepts source row {@code y} (rows must come in order 0..inHeight-1): {@code inWidth} L values (0..255)
     * starting at {@code row[offset]}. The row is an int[] rather than bytes because C2 vectorises an int-by-int
     * dot product (about 4x faster than widening bytes); the sums are exact integers, so order does not matter.
     */
    void acceptRow(int y, int[] row, int offset) {
        if (y < yFirst || y >= yLast) {
            return;
        }
        int t = y - yFirst;
        if (!needHorizontal) {
            int base = t * inWidth;
            for (int x = 0; x < inWidth; x++) {
                temp[base + x] = (byte) row[offset + x];
            }
            return;
        }
        int[] kk = horiz.fixed;
        int[] bounds = horiz.bounds;
        int ksize = horiz.ksize;
        int outBase = t * outWidth;
        for (int xx = 0; xx < outWidth; xx++) {
            int xmin = bounds[xx * 2];
            int xmax = bounds[xx * 2 + 1];
            int k = xx * ksize;
            int ss = 1 << (PRECISION_BITS - 1);
            int src = offset + xmin;
            for (int x = 0; x < xmax; x++) {
                ss += row[src + x] * kk[k + x];
            }
            temp[outBase + xx] = clip8(ss);
        }
    }

    /** The resized image, outWidth x outHeight L bytes, row-major. Call after all rows were accepted. */
    byte[] result() {
        int width = needHorizontal ? outWidth : inWidth; // == outWidth either way
        if (!needVertical) {
            // temp holds rows yFirst..yLast-1 == 0..inHeight-1 when the height is unchanged
            return temp.clone();
        }
        byte[] out = new byte[outWidth * outHeight];
        int[] kk = vert.fixed;
        int[] bounds = vert.bounds;
        int ksize = vert.ksize;
        int[] acc = new int[width];
        for (int yy = 0; yy < outHeight; yy++) {
            int k = yy * ksize;
            int ymin = bounds[yy * 2] - yFirst; // Resample.c shifts the vertical bounds by ybox_first
            int ymax = bounds[yy * 2 + 1];
            // row by row rather than Resample.c's column by column: the same exact integer sums, read in order
            Arrays.fill(acc, 1 << (PRECISION_BITS - 1));
            for (int y = 0; y < ymax; y++) {
                int weight = kk[k + y];
                int base = (y + ymin) * width;
                for (int xx = 0; xx < width; xx++) {
                    acc[xx] += (temp[base + xx] & 0xFF) * weight;
                }
            }
            for (int xx = 0; xx < width; xx++) {
                out[yy * outWidth + xx] = clip8(acc[xx]);
            }
        }
        return out;
    }

    int inWidth() {
        return inWidth;
    }

    /**
     * What the native decoder needs to run this resampler's horizontal pass itself and fill the rows that
     * {@link #result()} reads: params are {needHorizontal, outWidth, ksize, yFirst, yLast}.
     */
    NativePass nativePass() {
        int[] params = {needHorizontal ? 1 : 0, outWidth, needHorizontal ? horiz.ksize : 0, yFirst, yLast};
        return new NativePass(params, needHorizontal ? horiz.bounds : null, needHorizontal ? horiz.fixed : null,
                temp);
    }

    record NativePass(int[] params, int[] bounds, int[] fixed, byte[] temp) {
    }

    int inHeight() {
        return inHeight;
    }

    /** Resample.c clip8(): lookup of {@code in >> PRECISION_BITS} clamped to 0..255. */
    private static byte clip8(int in) {
        int v = in >> PRECISION_BITS;
        if (v < 0) {
            return 0;
        }
        if (v > 255) {
            return (byte) 255;
        }
        return (byte) v;
    }

    /** Resample.c lanczos_filter(): sinc(x) * sinc(x / 3) on [-3, 3). */
    static double lanczos(double x) {
        if (-3.0 <= x && x < 3.0) {
            return sinc(x) * sinc(x / 3);
        }
        return 0.0;
    }

    private static double sinc(double x) {
        if (x == 0.0) {
            return 1.0;
        }
        x = x * Math.PI;
        return StrictMath.sin(x) / x;
    }

    /** Output of precompute_coeffs + normalize_coeffs_8bpc for one axis. */
    static final class Coeffs {
        final int ksize;
        /** Per output pixel: first source pixel, number of source pixels. */
        final int[] bounds;
        final double[] weights;
        final int[] fixed;

        private Coeffs(int ksize, int[] bounds, double[] weights, int[] fixed) {
            this.ksize = ksize;
            this.bounds = bounds;
            this.weights = weights;
            this.fixed = fixed;
        }

        /**
         * Photos come in a handful of sizes, and computing a 4032-wide row's weights takes about 50,000 sines
         * (a few ms per image), so the last few hundred (in, out) pairs are kept. Coeffs are never modified.
         */
        private static final int CACHE_SIZE = 256;
        private static final Map<Long, Coeffs> CACHE = Collections.synchronizedMap(
                new LinkedHashMap<>(CACHE_SIZE, 0.75f, true) {
                    @Override
                    protected boolean removeEldestEntry(Map.Entry<Long, Coeffs> eldest) {
                        return size() > CACHE_SIZE;
                    }
                });

        static Coeffs of(int inSize, int outSize) {
            long key = (long) inSize << 32 | outSize;
            Coeffs c = CACHE.get(key);
            if (c == null) {
                c = compute(inSize, outSize);
                CACHE.put(key, c);
            }
            return c;
        }

        static Coeffs compute(int inSize, int outSize) {
            // box is (0, 0, inSize, ...) as C floats; in1 - in0 is exact for sizes below 2^24
            double in0 = (float) 0;
            double in1 = (float) inSize;
            double scale = (in1 - in0) / outSize;
            double filterscale = scale;
            if (filterscale < 1.0) {
                filterscale = 1.0;
            }
            double support = SUPPORT * filterscale;
            int ksize = (int) Math.ceil(support) * 2 + 1;
            double[] kk = new double[Math.multiplyExact(outSize, ksize)];
            int[] bounds = new int[outSize * 2];
            for (int xx = 0; xx < outSize; xx++) {
                double center = in0 + (xx + 0.5) * scale;
                double ww = 0.0;
                double ss = 1.0 / filterscale;
                int xmin = (int) (center - support + 0.5);
                if (xmin < 0) {
                    xmin = 0;
                }
                int xmax = (int) (center + support + 0.5);
                if (xmax > inSize) {
                    xmax = inSize;
                }
                xmax -= xmin;
                int k = xx * ksize;
                for (int x = 0; x < xmax; x++) {
                    double w = lanczos((x + xmin - center + 0.5) * ss);
                    kk[k + x] = w;
                    ww += w;
                }
                for (int x = 0; x < xmax; x++) {
                    if (ww != 0.0) {
                        kk[k + x] /= ww;
                    }
                }
                bounds[xx * 2] = xmin;
                bounds[xx * 2 + 1] = xmax;
            }
            int[] fixed = new int[kk.length];
            for (int i = 0; i < kk.length; i++) {
                if (kk[i] < 0) {
                    fixed[i] = (int) (-0.5 + kk[i] * (1 << PRECISION_BITS));
                } else {
                    fixed[i] = (int) (0.5 + kk[i] * (1 << PRECISION_BITS));
                }
            }
            return new Coeffs(ksize, bounds, kk, fixed);
        }
    }
}
