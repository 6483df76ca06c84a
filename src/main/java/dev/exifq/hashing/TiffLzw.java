package dev.exifq.hashing;

/**
 * TIFF's LZW decoder (codes of 9 to 12 bits, most significant bit first, code width growing one code early),
 * about twice as fast as the JDK's, which allocates a new array for every string table entry.
 *
 * <p>Each table entry is kept as a position and length in the output decoded so far: an entry is always the
 * previous string plus the first byte of the current one, and those lie next to each other in the output.
 */
final class TiffLzw {
    private static final int CLEAR = 256;
    private static final int END = 257;
    private static final int FIRST_FREE = 258;
    private static final int TABLE_SIZE = 4096;

    private final int[] start = new int[TABLE_SIZE];
    private final int[] length = new int[TABLE_SIZE];

    /**
     * Decodes one strip or tile. True when the data decoded cleanly to fill {@code dst} (codes after that are
     * ignored); on anything else (a bad code, too much or too little data, the pre-6.0 bit order) false, and the caller
     * leaves the file to the JDK's decoder so that damaged files are treated as before.
     */
    boolean decode(byte[] src, int srcLength, byte[] dst) {
        if (srcLength >= 2 && src[0] == 0 && (src[1] & 1) == 1) {
            return false; // TIFF 5.0 "old-style" LZW (least significant bit first): the JDK refuses it too
        }
        int[] start = this.start;
        int[] length = this.length;
        int dstLength = dst.length;
        long bitBuffer = 0;
        int bits = 0;
        int in = 0;
        int out = 0;
        int codeWidth = 9;
        int next = FIRST_FREE;
        int previousStart = -1;
        int previousLength = 0;
        while (true) {
            if (bits < codeWidth) {
                if (in + 3 < srcLength) {
                    // 24 more bits at once: at most 11 are waiting, so they fit with room to spare
                    bitBuffer = (bitBuffer << 24) | ((src[in] & 0xff) << 16) | ((src[in + 1] & 0xff) << 8) | (src[in + 2] & 0xff);
                    in += 3;
                    bits += 24;
                } else {
                    while (bits < codeWidth) {
                        if (in >= srcLength) {
                            return out == dstLength;
                        }
                        bitBuffer = (bitBuffer << 8) | (src[in++] & 0xff);
                        bits += 8;
                    }
                }
            }
            int code = (int) (bitBuffer >>> (bits - codeWidth)) & ((1 << codeWidth) - 1);
            bits -= codeWidth;
            if (code == END) {
                return out == dstLength;
            }
            if (code == CLEAR) {
                next = FIRST_FREE;
                codeWidth = 9;
                previousStart = -1;
                continue;
            }
            int currentStart = out;
            int currentLength;
            if (code < CLEAR) {
                if (out >= dstLength) {
                    return false;
                }
                dst[out++] = (byte) code;
                currentLength = 1;
            } else if (code < next && previousStart >= 0) {
                currentLength = length[code];
                if (out + currentLength > dstLength) {
                    return false;
                }
                System.arraycopy(dst, start[code], dst, out, currentLength);
                out += currentLength;
            } else if (code == next && previousStart >= 0) {
                // the string being defined right now: the previous one plus its own first byte
                currentLength = previousLength + 1;
                if (out + currentLength > dstLength) {
                    return false;
                }
                System.arraycopy(dst, previousStart, dst, out, previousLength);
                dst[out + previousLength] = dst[previousStart];
                out += currentLength;
            } else {
                return false;
            }
            if (previousStart >= 0) {
                if (next == TABLE_SIZE) {
                    return false; // a full table must be followed by a clear code
                }
                start[next] = previousStart;
                length[next] = previousLength + 1;
                next++;
                if (next >= (1 << codeWidth) - 1 && codeWidth < 12) {
                    codeWidth++;
                }
            }
            if (out == dstLength) {
                return true; // whatever codes follow are ignored, as the JDK and libtiff do
            }
            previousStart = currentStart;
            previousLength = currentLength;
        }
    }
}
