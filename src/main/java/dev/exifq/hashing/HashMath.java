package dev.exifq.hashing;

import java.util.Arrays;

/** The arithmetic of imagehash 4.3.2's dhash and phash on already resized L pixels. */
final class HashMath {
    private static final int N = 32;
    private static final int KEEP = 8;
    /** COS[k][n] = cos(pi * k * (2n + 1) / (2N)) for the kept frequencies k < 8. */
    private static final double[][] COS = new double[KEEP][N];
    /**
     * A DCT output whose magnitude is below this fraction of the sum of the magnitudes of its terms is
     * rounding noise around an exact zero (see {@link #dct2}).
     */
    private static final double ZERO_TOLERANCE = 1e-10;

    static {
        for (int k = 0; k < KEEP; k++) {
            for (int n = 0; n < N; n++) {
                COS[k][n] = StrictMath.cos(Math.PI * k * (2 * n + 1) / (2.0 * N));
            }
        }
    }

    private HashMath() {
    }

    /**
     * imagehash.dhash: on the 9x8 resized image, bit = {@code pixel[x + 1] > pixel[x]} for each row,
     * row-major, the first bit most significant.
     */
    static long dhash(byte[] l9x8) {
        long bits = 0;
        for (int y = 0; y < 8; y++) {
            for (int x = 0; x < 8; x++) {
                int left = l9x8[y * 9 + x] & 0xFF;
                int right = l9x8[y * 9 + x + 1] & 0xFF;
                bits = (bits << 1) | (right > left ? 1 : 0);
            }
        }
        return bits;
    }

    /**
     * The hashes of the eight turns of the image whose resized grids are given: phash from the 32x32 grid turned
     * before the DCT; dhash from the 9x8 grid turned where the turn keeps the axes, else from the 8x9 grid (the
     * image resized to 8 wide and 9 high), which a quarter turn or a diagonal flip makes 9 wide and 8 high.
     */
    static OrientedHashes oriented(byte[] l9x8, byte[] l8x9, byte[] l32x32) {
        long[] p = new long[8];
        long[] d = new long[8];
        for (Orientation o : Orientation.values()) {
            p[o.exif() - 1] = phash(o.turn(l32x32, N, N));
            d[o.exif() - 1] = dhash(o.swapsAxes() ? o.turn(l8x9, 8, 9) : o.turn(l9x8, 9, 8));
        }
        return new OrientedHashes(p, d);
    }

    /**
     * imagehash.phash: 2-D DCT-II of the 32x32 image (scipy.fftpack.dct along axis 0, then axis 1, default
     * unnormalised scaling), top-left 8x8 kept, bit = {@code value > median} (numpy median: mean of the two
     * middle values of the 64), row-major, first bit most significant.
     */
    static long phash(byte[] l32x32) {
        double[] lowFreq = dct2(l32x32);
        double[] sorted = lowFreq.clone();
        Arrays.sort(sorted);
        double median = (sorted[31] + sorted[32]) / 2;
        long bits = 0;
        for (int i = 0; i < 64; i++) {
            bits = (bits << 1) | (lowFreq[i] > median ? 1 : 0);
        }
        return bits;
    }

    /**
     * The top-left 8x8 of scipy's unnormalised 2-D DCT-II, {@code y[k] = 2 * sum x[n] cos(pi k (2n+1) / 2N)}
     * per axis, row-major (row = axis-0 frequency).
     *
     * <p>scipy computes it with pocketfft, whose butterflies cancel exactly where the mathematical value
     * is zero (constant images, images symmetric about the centre line, identical rows or columns); a
     * direct sum leaves rounding noise of about 1e-13 there instead, and noise decides {@code > median}
     * when most values are zero. So values below {@link #ZERO_TOLERANCE} of the sum of their terms'
     * magnitudes are set to exactly 0, as pocketfft returns them. Non-zero values are accurate to about
     * 1e-12 relative, far below any difference that decides a bit for a real image.
     */
    static double[] dct2(byte[] l32x32) {
        // axis 0: for each column n1, coefficient k0 over rows n0
        double[] colDct = new double[KEEP * N];
        double[] colAbs = new double[KEEP * N];
        for (int k0 = 0; k0 < KEEP; k0++) {
            double[] c = COS[k0];
            for (int x = 0; x < N; x++) {
                double s = 0;
                double a = 0;
                for (int y = 0; y < N; y++) {
                    double term = (l32x32[y * N + x] & 0xFF) * c[y];
                    s += term;
                    a += Math.abs(term);
                }
                colDct[k0 * N + x] = 2 * s;
                colAbs[k0 * N + x] = 2 * a;
            }
        }
        double[] out = new double[KEEP * KEEP];
        for (int k0 = 0; k0 < KEEP; k0++) {
            for (int k1 = 0; k1 < KEEP; k1++) {
                double[] c = COS[k1];
                double s = 0;
                double a = 0;
                for (int x = 0; x < N; x++) {
                    s += colDct[k0 * N + x] * c[x];
                    a += colAbs[k0 * N + x] * Math.abs(c[x]);
                }
                double v = 2 * s;
                out[k0 * KEEP + k1] = Math.abs(v) <= ZERO_TOLERANCE * 2 * a ? 0.0 : v;
            }
        }
        return out;
    }
}
