package dev.exifq.platform;

import java.security.SecureRandom;

/** 26-character lowercase ULIDs (Crockford base32): time-ordered, unguessable ids. */
public final class Ulid {
    private static final char[] ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz".toCharArray();
    private static final SecureRandom RANDOM = new SecureRandom();

    private Ulid() {}

    public static String next() {
        return of(System.currentTimeMillis(), RANDOM);
    }

    static String of(long millis, SecureRandom random) {
        byte[] entropy = new byte[10];
        random.nextBytes(entropy);
        char[] out = new char[26];
        long time = millis;
        for (int i = 9; i >= 0; i--) {
            out[i] = ALPHABET[(int) (time & 31)];
            time >>>= 5;
        }
        // 80 random bits -> 16 characters of 5 bits each
        long hi = 0;
        for (int i = 0; i < 5; i++) hi = (hi << 8) | (entropy[i] & 0xff);
        long lo = 0;
        for (int i = 5; i < 10; i++) lo = (lo << 8) | (entropy[i] & 0xff);
        for (int i = 0; i < 8; i++) {
            out[17 - i] = ALPHABET[(int) (hi & 31)];
            hi >>>= 5;
            out[25 - i] = ALPHABET[(int) (lo & 31)];
            lo >>>= 5;
        }
        return new String(out);
    }

    /** The same 128 bits as a UUID, so a JobRunr job id follows from the image id. */
    public static java.util.UUID toUuid(String ulid) {
        if (!isValid(ulid)) {
            throw new IllegalArgumentException("Not a ULID");
        }
        long hi = 0;
        long lo = 0;
        for (int i = 0; i < 26; i++) {
            int v = new String(ALPHABET).indexOf(ulid.charAt(i));
            // shift the 130-bit (2 leading zero bits) big number left by 5 and add v
            hi = (hi << 5) | (lo >>> 59);
            lo = (lo << 5) | v;
        }
        return new java.util.UUID(hi, lo);
    }

    public static boolean isValid(String s) {
        if (s == null || s.length() != 26 || s.charAt(0) > '7') return false;
        for (int i = 0; i < 26; i++) {
            char c = s.charAt(i);
            if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z' && c != 'i' && c != 'l' && c != 'o' && c != 'u'))) {
                return false;
            }
        }
        return true;
    }
}
