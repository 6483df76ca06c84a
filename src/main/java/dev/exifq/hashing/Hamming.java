package dev.exifq.hashing;

/** Helpers for 64-bit hashes written as 16 hex digits, as imagehash prints them. */
public final class Hamming {
    private Hamming() {
    }

    /** Number of differing bits between two 64-bit hex hashes. */
    public static int distance(String hexA, String hexB) {
        return Long.bitCount(parse(hexA) ^ parse(hexB));
    }

    /**
     * Parses 1 to 16 hex digits (either case) into the 64 hash bits; bit 63 is the first hash bit.
     *
     * @throws IllegalArgumentException if the text is null, empty, longer than 16 digits or not hex
     */
    public static long parse(String hex) {
        if (hex == null || hex.isEmpty() || hex.length() > 16) {
            throw new IllegalArgumentException("A 64-bit hash is 1 to 16 hex digits, got: " + hex);
        }
        for (int i = 0; i < hex.length(); i++) {
            if (Character.digit(hex.charAt(i), 16) < 0) {
                throw new IllegalArgumentException("Not a hex hash: " + hex);
            }
        }
        return Long.parseUnsignedLong(hex, 16);
    }

    /** The 64 bits as 16 lowercase hex digits, zero-padded, as imagehash's {@code str()} prints them. */
    public static String hex(long bits) {
        String s = Long.toHexString(bits);
        return "0000000000000000".substring(s.length()) + s;
    }
}
