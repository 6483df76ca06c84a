package dev.exifq.hashing;

/**
 * libjpeg's integer YCbCr to RGB conversion (jdcolor.c, build_ycc_rgb_table), and Pillow's L24 luminance of
 * its result for YCbCr JPEGs.
 */
final class JpegYcc {
    private static final int SCALEBITS = 16;
    private static final int ONE_HALF = 1 << (SCALEBITS - 1);
    private static final int[] CR_R = new int[256];
    private static final int[] CB_B = new int[256];
    private static final int[] CR_G = new int[256];
    private static final int[] CB_G = new int[256];

    /**
     * Per (Cb, Cr): the range of Y for which none of R, G, B clips, and the luminance offset that then
     * applies. L24's weights sum to 65536, so without clipping
     * {@code L = (19595 (y+dr) + 38470 (y+dg) + 7471 (y+db) + 0x8000) >> 16 = y + ((19595 dr + 38470 dg
     * + 7471 db + 0x8000) >> 16)} exactly: one lookup and an add per pixel instead of three conversions.
     * Packed as {@code lowY | highY << 8 | offset << 16}.
     */
    private static final int[] LUMA = new int[256 * 256];

    static {
        for (int i = 0; i < 256; i++) {
            int x = i - 128;
            CR_R[i] = (fix(1.40200) * x + ONE_HALF) >> SCALEBITS;
            CB_B[i] = (fix(1.77200) * x + ONE_HALF) >> SCALEBITS;
            CR_G[i] = -fix(0.71414) * x;
            CB_G[i] = -fix(0.34414) * x + ONE_HALF;
        }
        for (int cb = 0; cb < 256; cb++) {
            for (int cr = 0; cr < 256; cr++) {
                int dr = CR_R[cr];
                int dg = (CB_G[cb] + CR_G[cr]) >> SCALEBITS;
                int db = CB_B[cb];
                int low = Math.max(0, -Math.min(dr, Math.min(dg, db)));
                int high = Math.min(255, 255 - Math.max(dr, Math.max(dg, db)));
                int offset = (19595 * dr + 38470 * dg + 7471 * db + 0x8000) >> 16;
                LUMA[cb << 8 | cr] = low | high << 8 | offset << 16;
            }
        }
    }

    private JpegYcc() {
    }

    private static int fix(double x) {
        return (int) (x * (1L << SCALEBITS) + 0.5);
    }

    /** Pillow's L24 of the RGB that libjpeg makes of (y, cb, cr), all 0..255. */
    static int luma(int y, int cb, int cr) {
        int e = LUMA[cb << 8 | cr];
        if (y >= (e & 0xFF) && y <= ((e >> 8) & 0xFF)) {
            return y + (e >> 16);
        }
        return PillowLuma.l24(red(y, cr), green(y, cb, cr), blue(y, cb));
    }

    static int red(int y, int cr) {
        return PillowLuma.clip8(y + CR_R[cr]);
    }

    static int green(int y, int cb, int cr) {
        return PillowLuma.clip8(y + ((CB_G[cb] + CR_G[cr]) >> SCALEBITS));
    }

    static int blue(int y, int cb) {
        return PillowLuma.clip8(y + CB_B[cb]);
    }
}
