package dev.exifq.duplicates;

import dev.exifq.images.HashBands;

/**
 * The 16-bit band values within a few bits of a given one: what multi-index hashing looks up per band.
 * Two 64-bit hashes within distance r differ in at most floor(r/4) bits in at least one of their four
 * 16-bit bands (pigeonhole), so a query probes, in each band, every value within that radius of its own.
 */
public final class BandProbes {
    public static final int BAND_BITS = 16;
    public static final int BANDS = 4;

    private BandProbes() {}

    /** The radius each band is probed with for a query at {@code maxDistance}. */
    public static int bandRadius(int maxDistance) {
        return maxDistance / BANDS;
    }

    /** How many values lie within {@code radius} bits of a 16-bit value: sum of C(16, i), i = 0..radius. */
    public static int count(int radius) {
        int total = 0;
        long c = 1;
        for (int i = 0; i <= radius && i <= BAND_BITS; i++) {
            total += (int) c;
            c = c * (BAND_BITS - i) / (i + 1);
        }
        return total;
    }

    /** Every 16-bit value within {@code radius} bits of {@code value}, {@code value} itself first. */
    public static int[] within(int value, int radius) {
        int[] out = new int[count(radius)];
        out[0] = value;
        int n = 1;
        for (int bits = 1; bits <= radius; bits++) {
            // all masks of `bits` set bits among 16, in increasing order (Gosper's hack)
            int mask = (1 << bits) - 1;
            while (mask < (1 << BAND_BITS)) {
                out[n++] = value ^ mask;
                int c = mask & -mask;
                int r = mask + c;
                mask = (((r ^ mask) >>> 2) / c) | r;
            }
        }
        return out;
    }

    /** Band {@code band} (0 = most significant 16 bits) of a 64-bit hash, exactly as image_hashes stores it. */
    public static int band(long hash, int band) {
        return HashBands.band(hash, band);
    }
}
