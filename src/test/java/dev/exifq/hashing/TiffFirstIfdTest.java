package dev.exifq.hashing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import javax.imageio.stream.FileImageInputStream;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The first IFD read from hand-built directories: values in and out of the entry, both byte orders, doubts. */
class TiffFirstIfdTest {
    private static final int SHORT = 3;
    private static final int LONG = 4;
    private static final int ASCII = 2;
    private static final Map<Integer, Integer> WANTED = Map.of(258, 4, 273, 1 << 18, 277, 1, 279, 1 << 18);

    @Test
    void valuesInsideAndOutsideTheEntryInBothByteOrders() throws IOException {
        for (ByteOrder order : new ByteOrder[] {ByteOrder.LITTLE_ENDIAN, ByteOrder.BIG_ENDIAN}) {
            Tiff t = new Tiff(order);
            t.entry(277, SHORT, 3);                      // inside the entry
            t.entryAt(258, SHORT, new long[] {8, 8, 16});  // six bytes: after the IFD
            t.entryAt(273, LONG, new long[] {100, 4_000_000_000L});
            t.entry(279, LONG, 77);
            t.entry(999, ASCII, 5);                      // not wanted: skipped
            TiffFirstIfd ifd = read(t.bytes());
            assertEquals(3, ifd.first(277, 1), order.toString());
            assertArrayEquals(new long[] {8, 8, 16}, ifd.values(258), order.toString());
            assertArrayEquals(new long[] {100, 4_000_000_000L}, ifd.values(273), order.toString());
            assertArrayEquals(new long[] {77}, ifd.values(279), order.toString());
            assertFalse(ifd.present(999));
            assertFalse(ifd.anyDoubtful());
        }
    }

    @Test
    void theStreamIsPutBackAsItWas() throws IOException {
        Tiff t = new Tiff(ByteOrder.LITTLE_ENDIAN);
        t.entry(277, SHORT, 1);
        ImageInputStream in = new MemoryCacheImageInputStream(new ByteArrayInputStream(t.bytes()));
        in.setByteOrder(ByteOrder.BIG_ENDIAN);
        in.seek(5);
        TiffFirstIfd.read(in, WANTED);
        assertEquals(5, in.getStreamPosition());
        assertEquals(ByteOrder.BIG_ENDIAN, in.getByteOrder());
    }

    @Test
    void oddTypesTooManyValuesAndRepeatsAreDoubtful() throws IOException {
        Tiff oddType = new Tiff(ByteOrder.LITTLE_ENDIAN);
        oddType.entry(277, ASCII, 3);
        assertTrue(read(oddType.bytes()).unreadable(277));

        Tiff tooMany = new Tiff(ByteOrder.LITTLE_ENDIAN);
        tooMany.entryAt(258, SHORT, new long[] {8, 8, 8, 8, 8});
        assertTrue(read(tooMany.bytes()).unreadable(258));

        Tiff repeated = new Tiff(ByteOrder.LITTLE_ENDIAN);
        repeated.entry(277, SHORT, 3);
        repeated.entry(277, SHORT, 4);
        TiffFirstIfd ifd = read(repeated.bytes());
        assertEquals(3, ifd.first(277, 1), "the first is kept");
        assertTrue(ifd.anyDoubtful());
    }

    @Test
    void valuesPastTheEndAreUnreadable(@TempDir Path dir) throws IOException {
        Tiff t = new Tiff(ByteOrder.LITTLE_ENDIAN);
        t.entryPointingAt(273, LONG, 200_000, 64); // 800 KB of offsets claimed in a file of a hundred bytes
        t.entry(277, SHORT, 3);
        // in memory, where the stream's length is unknown: found by reading
        TiffFirstIfd inMemory = read(t.bytes());
        assertTrue(inMemory.unreadable(273));
        assertNull(inMemory.values(273));
        assertEquals(3, inMemory.first(277, 1), "the entries after it are still read");
        // a file, as uploads are hashed: its length rules the values out before anything is allocated
        Path file = dir.resolve("claims.tif");
        Files.write(file, t.bytes());
        try (ImageInputStream in = new FileImageInputStream(file.toFile())) {
            assertTrue(in.length() > 0);
            TiffFirstIfd fromFile = TiffFirstIfd.read(in, WANTED);
            assertTrue(fromFile.unreadable(273));
            assertEquals(3, fromFile.first(277, 1));
        }
    }

    @Test
    void notAClassicTiffIsNull() throws IOException {
        assertNull(read(new byte[] {'I', 'I', 43, 0, 8, 0, 0, 0}), "BigTIFF");
        assertNull(read(new byte[] {'P', 'K', 42, 0, 8, 0, 0, 0}));
    }

    private static TiffFirstIfd read(byte[] tiff) throws IOException {
        return TiffFirstIfd.read(new MemoryCacheImageInputStream(new ByteArrayInputStream(tiff)), WANTED);
    }

    /** A header, one IFD at offset 8, and the out-of-entry values after it. */
    private static final class Tiff {
        private final ByteOrder order;
        private final ByteBuffer ifd = ByteBuffer.allocate(4096);
        private final ByteBuffer tail = ByteBuffer.allocate(4096);
        private int entries;
        private final java.util.List<int[]> fixups = new java.util.ArrayList<>();

        Tiff(ByteOrder order) {
            this.order = order;
            ifd.order(order);
            tail.order(order);
        }

        void entry(int tag, int type, long value) {
            ifd.putShort((short) tag).putShort((short) type).putInt(1);
            if (type == SHORT) {
                ifd.putShort((short) value).putShort((short) 0);
            } else {
                ifd.putInt((int) value);
            }
            entries++;
        }

        void entryAt(int tag, int type, long[] values) {
            ifd.putShort((short) tag).putShort((short) type).putInt(values.length);
            fixups.add(new int[] {ifd.position(), tail.position()});
            ifd.putInt(0);
            for (long v : values) {
                if (type == SHORT) {
                    tail.putShort((short) v);
                } else {
                    tail.putInt((int) v);
                }
            }
            entries++;
        }

        void entryPointingAt(int tag, int type, int count, int offset) {
            ifd.putShort((short) tag).putShort((short) type).putInt(count).putInt(offset);
            entries++;
        }

        byte[] bytes() {
            int ifdSize = 2 + ifd.position() + 4;
            int tailAt = 8 + ifdSize;
            ByteBuffer out = ByteBuffer.allocate(tailAt + tail.position()).order(order);
            out.put((byte) (order == ByteOrder.LITTLE_ENDIAN ? 'I' : 'M'));
            out.put((byte) (order == ByteOrder.LITTLE_ENDIAN ? 'I' : 'M'));
            out.putShort((short) 42).putInt(8).putShort((short) entries);
            ByteBuffer entriesCopy = ifd.duplicate().order(order);
            entriesCopy.flip();
            int entriesAt = out.position();
            out.put(entriesCopy);
            for (int[] f : fixups) {
                out.putInt(entriesAt + f[0], tailAt + f[1]);
            }
            out.putInt(0); // no next IFD
            ByteBuffer tailCopy = tail.duplicate();
            tailCopy.flip();
            out.put(tailCopy);
            return out.array();
        }
    }
}
