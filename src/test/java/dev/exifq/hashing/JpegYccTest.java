package dev.exifq.hashing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class JpegYccTest {
    /** The one-lookup luminance must equal libjpeg's RGB followed by Pillow's L24 for every YCbCr triple. */
    @Test
    void lookupLumaEqualsConvertingThroughRgbForAllSixteenMillionInputs() {
        long mismatches = 0;
        String first = null;
        for (int y = 0; y < 256; y++) {
            for (int cb = 0; cb < 256; cb++) {
                for (int cr = 0; cr < 256; cr++) {
                    int viaRgb = PillowLuma.l24(JpegYcc.red(y, cr), JpegYcc.green(y, cb, cr), JpegYcc.blue(y, cb));
                    int direct = JpegYcc.luma(y, cb, cr);
                    if (viaRgb != direct) {
                        mismatches++;
                        if (first == null) {
                            first = "y=" + y + " cb=" + cb + " cr=" + cr + ": " + direct + " != " + viaRgb;
                        }
                    }
                }
            }
        }
        assertEquals(0, mismatches, first);
    }

    @Test
    void neutralGreyIsItsOwnLuminance() {
        for (int y = 0; y < 256; y++) {
            assertEquals(y, JpegYcc.luma(y, 128, 128));
        }
    }
}
