package dev.exifq.hashing;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

import javax.imageio.stream.ImageInputStream;

/**
 * Chosen tags of a classic TIFF's first IFD, read from the stream the JDK's reader has open, and the stream put back
 * as it was. The reader's own ways to its tags are dear for what hashing needs: its metadata object copies every tag
 * into a DOM tree and back (an ICC profile byte by byte), and its image types test an embedded ICC profile with an
 * LCMS conversion (JDK-8145241's workaround).
 *
 * <p>Only SHORT and LONG values are kept. A chosen tag of another type, with more values than allowed, or whose
 * values lie past the end of the file is <em>unreadable</em>; one that appears twice is <em>repeated</em> (its
 * first values are kept). Callers leave such files to the JDK's reader.
 */
final class TiffFirstIfd {
    private static final int SHORT = 3;
    private static final int LONG = 4;
    /** More entries than any real IFD holds (the baseline and EXIF tags are a few dozen): not a file to trust. */
    private static final int MAX_ENTRIES = 4096;
    private static final int ENTRY_BYTES = 12;

    private final Map<Integer, long[]> values = new HashMap<>();
    private final Set<Integer> unreadable = new HashSet<>();
    private final Set<Integer> repeated = new HashSet<>();

    private TiffFirstIfd() {
    }

    /**
     * @param wanted    the tags to keep, each with the most values it may have
     * @return null if the stream is not a classic TIFF whose first IFD can be read
     */
    static TiffFirstIfd read(ImageInputStream in, Map<Integer, Integer> wanted) throws IOException {
        ByteOrder order = in.getByteOrder();
        in.mark();
        try {
            in.seek(0);
            return readFromStart(in, wanted);
        } finally {
            in.reset();
            in.setByteOrder(order);
        }
    }

    private static TiffFirstIfd readFromStart(ImageInputStream in, Map<Integer, Integer> wanted) throws IOException {
        int b0 = in.read();
        int b1 = in.read();
        if (b0 == 'I' && b1 == 'I') {
            in.setByteOrder(ByteOrder.LITTLE_ENDIAN);
        } else if (b0 == 'M' && b1 == 'M') {
            in.setByteOrder(ByteOrder.BIG_ENDIAN);
        } else {
            return null;
        }
        if (in.readUnsignedShort() != 42) {
            return null; // BigTIFF (43) and anything else: the JDK reader does not read them
        }
        in.seek(in.readUnsignedInt());
        int entries = in.readUnsignedShort();
        if (entries > MAX_ENTRIES) {
            return null;
        }
        // the entry table in one read (the reader's stream may be a file read without a buffer)
        ByteBuffer table = ByteBuffer.allocate(entries * ENTRY_BYTES).order(in.getByteOrder());
        in.readFully(table.array());
        TiffFirstIfd ifd = new TiffFirstIfd();
        for (int at = 0; at < table.capacity(); at += ENTRY_BYTES) {
            int tag = table.getShort(at) & 0xFFFF;
            int type = table.getShort(at + 2) & 0xFFFF;
            long count = table.getInt(at + 4) & 0xFFFFFFFFL;
            Integer limit = wanted.get(tag);
            if (limit == null) {
                continue;
            }
            if (ifd.values.containsKey(tag) || ifd.unreadable.contains(tag)) {
                ifd.repeated.add(tag);
            } else if ((type != SHORT && type != LONG) || count < 1 || count > limit) {
                ifd.unreadable.add(tag);
            } else {
                long[] v = readValues(in, table, at + 8, type, (int) count);
                if (v == null) {
                    ifd.unreadable.add(tag);
                } else {
                    ifd.values.put(tag, v);
                }
            }
        }
        return ifd;
    }

    /**
     * The values in the entry's last four bytes ({@code field}), or at the offset they hold. Null when they lie past
     * the end of the stream: checked before anything is allocated where the stream knows its length (a file), found
     * by reading where it does not (bytes in memory).
     */
    private static long[] readValues(ImageInputStream in, ByteBuffer table, int field, int type, int count)
            throws IOException {
        int size = type == SHORT ? 2 : 4;
        if (count * size <= 4) {
            long[] out = new long[count];
            for (int i = 0; i < count; i++) {
                out[i] = size == 2 ? table.getShort(field + 2 * i) & 0xFFFFL : table.getInt(field) & 0xFFFFFFFFL;
            }
            return out;
        }
        long at = table.getInt(field) & 0xFFFFFFFFL;
        long length = in.length();
        if (length >= 0 && at + (long) count * size > length) {
            return null;
        }
        in.seek(at);
        long[] out = new long[count];
        try {
            if (type == SHORT) {
                short[] raw = new short[count];
                in.readFully(raw, 0, count);
                for (int i = 0; i < count; i++) {
                    out[i] = raw[i] & 0xFFFFL;
                }
            } else {
                int[] raw = new int[count];
                in.readFully(raw, 0, count);
                for (int i = 0; i < count; i++) {
                    out[i] = raw[i] & 0xFFFFFFFFL;
                }
            }
        } catch (EOFException e) {
            return null;
        }
        return out;
    }

    /** The tag's values, or null when it is absent or unreadable. */
    long[] values(int tag) {
        return values.get(tag);
    }

    /** The tag's first value, or {@code fallback} when it is absent or unreadable. */
    long first(int tag, long fallback) {
        long[] v = values.get(tag);
        return v == null ? fallback : v[0];
    }

    boolean present(int tag) {
        return values.containsKey(tag) || unreadable.contains(tag);
    }

    boolean unreadable(int tag) {
        return unreadable.contains(tag);
    }

    /** Whether any chosen tag was unreadable or repeated. */
    boolean anyDoubtful() {
        return !unreadable.isEmpty() || !repeated.isEmpty();
    }
}
