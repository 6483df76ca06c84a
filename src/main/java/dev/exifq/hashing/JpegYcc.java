package dev.exifq.hashing;

/** libjpeg's integer YCbCr to RGB conversion (jdcolor.c, build_ycc_rgb_table), used for YCCK JPEGs. */
final class JpegYcc {
    private static final int SCALEBITS = 16;
    private static final int ONE_HALF = 1 << (SCALEBITS - 1);
    private static final int[] CR_R = new int[256];
    private static final int[] CB_B = new int[256];
    private static final int[] CR_G = new int[256];
    private static final int[] CB_G = new int[256];

    static {
        for (int i = 0; i < 256; i++) {
            int x = i - 128;
            CR_R[i] = (fix(1.40200) * x + ONE_HALF) >> SCALEBITS;
            CB_B[i] = (fix(1.77200) * x + ONE_HALF) >> SCALEBITS;
            CR_G[i] = -fix(0.71414) * x;
            CB_G[i] = -fix(0.34414) * x + ONE_HALF;
        }
    }

    private JpegYcc() {
    }

    private static int fix(double x) {
        return (int) (x * (1L << SCALEBITS) + 0.5);
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
