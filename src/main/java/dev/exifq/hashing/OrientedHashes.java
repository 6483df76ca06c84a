package dev.exifq.hashing;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * The phash and dhash of an image's eight orientations: {@code phash(o)} is what imagehash would compute (up to the
 * resampler's rounding, docs/hashing.md) for the image turned by {@code o}; {@code phash(IDENTITY)} is the image's
 * own phash. Stored as 128 bytes: the eight phashes then the eight dhashes, in EXIF order, big-endian.
 */
public final class OrientedHashes {
    public static final int BYTES = 2 * 8 * Long.BYTES;

    private final long[] phash;
    private final long[] dhash;

    public OrientedHashes(long[] phash, long[] dhash) {
        if (phash.length != 8 || dhash.length != 8) {
            throw new IllegalArgumentException("eight hashes of each kind");
        }
        this.phash = phash.clone();
        this.dhash = dhash.clone();
    }

    public long phash(Orientation o) {
        return phash[o.exif() - 1];
    }

    public long dhash(Orientation o) {
        return dhash[o.exif() - 1];
    }

    public byte[] toBytes() {
        ByteBuffer out = ByteBuffer.allocate(BYTES);
        for (long h : phash) out.putLong(h);
        for (long h : dhash) out.putLong(h);
        return out.array();
    }

    /** The stored form back; null for null (an image hashed before orientations were stored) or a wrong length. */
    public static OrientedHashes fromBytes(byte[] bytes) {
        if (bytes == null || bytes.length != BYTES) {
            return null;
        }
        ByteBuffer in = ByteBuffer.wrap(bytes);
        long[] p = new long[8];
        long[] d = new long[8];
        for (int i = 0; i < 8; i++) p[i] = in.getLong();
        for (int i = 0; i < 8; i++) d[i] = in.getLong();
        return new OrientedHashes(p, d);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof OrientedHashes other && Arrays.equals(phash, other.phash) && Arrays.equals(dhash, other.dhash);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(phash) + Arrays.hashCode(dhash);
    }

    @Override
    public String toString() {
        StringBuilder s = new StringBuilder("OrientedHashes[");
        for (Orientation o : Orientation.values()) {
            s.append(o.apiName()).append('=').append(Hamming.hex(phash(o))).append('/').append(Hamming.hex(dhash(o))).append(' ');
        }
        return s.append(']').toString();
    }
}
