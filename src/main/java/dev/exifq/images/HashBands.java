package dev.exifq.images;

/** The four 16-bit bands of a 64-bit hash, band 0 the most significant, as stored in image_hashes. */
public final class HashBands {
    public static final int BANDS = 4;

    private HashBands() {}

    public static int band(long hash, int band) {
        return (int) ((hash >>> (48 - 16 * band)) & 0xFFFF);
    }
}
