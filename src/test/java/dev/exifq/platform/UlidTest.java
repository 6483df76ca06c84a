package dev.exifq.platform;

import org.junit.jupiter.api.Test;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Our ULIDs: the ULID spec's layout (48-bit millisecond time, 80 random bits, Crockford base32, lower case),
 * ordered across milliseconds, unique under concurrency. Not monotonic within a millisecond, on purpose: every id
 * carries 80 fresh random bits, where a monotonic generator makes the next id of the same millisecond the last
 * one plus one; nothing orders images by id within a millisecond.
 */
class UlidTest {

    @Test
    void layoutIsTheSpecs() {
        // the spec's example time 1469922850259 is 01ARZ3NDEK; all-zero and all-one entropy at both ends
        assertEquals("01arz3ndek0000000000000000", Ulid.of(1469922850259L, fixed((byte) 0)));
        assertEquals("01arz3ndekzzzzzzzzzzzzzzzz", Ulid.of(1469922850259L, fixed((byte) 0xff)));
        assertEquals(new UUID(1469922850259L << 16, 0L), Ulid.toUuid("01arz3ndek0000000000000000"));
        assertEquals(new UUID(-1L, -1L), Ulid.toUuid("7zzzzzzzzzzzzzzzzzzzzzzzzz"));
        assertEquals(1469922850259L, Ulid.toUuid("01arz3ndekzzzzzzzzzzzzzzzz").getMostSignificantBits() >>> 16);
    }

    @Test
    void validity() {
        String id = Ulid.next();
        assertTrue(id.matches("[0-7][0-9a-hjkmnp-tv-z]{25}"), id);
        assertTrue(Ulid.isValid(id));
        for (String bad : new String[] {null, "", id.substring(1), id + "0", "8" + id.substring(1),
                id.substring(0, 25) + "u", id.toUpperCase(), id.substring(0, 25) + "/"}) {
            assertFalse(Ulid.isValid(bad), bad);
        }
        assertThrows(IllegalArgumentException.class, () -> Ulid.toUuid("not-a-ulid"));
    }

    @Test
    void orderedAcrossMillisecondsAsStringsAndAsUuids() {
        SecureRandom random = new SecureRandom();
        String previous = Ulid.of(0, random);
        for (long t = 1; t < 1L << 48; t = t * 3 + 1) {
            String next = Ulid.of(t, random);
            assertTrue(previous.compareTo(next) < 0, previous + " " + next);
            assertTrue(Ulid.toUuid(previous).toString().compareTo(Ulid.toUuid(next).toString()) < 0);
            previous = next;
        }
    }

    @Test
    void uniqueAndValidUnderConcurrency() throws Exception {
        int threads = 8;
        int each = 20_000;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Callable<List<String>>> tasks = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                tasks.add(() -> {
                    List<String> ids = new ArrayList<>(each);
                    for (int j = 0; j < each; j++) {
                        ids.add(Ulid.next());
                    }
                    return ids;
                });
            }
            Set<String> all = new HashSet<>();
            for (Future<List<String>> f : pool.invokeAll(tasks)) {
                for (String id : f.get()) {
                    assertTrue(all.add(id), "duplicate " + id);
                    assertEquals(id, toUlid(Ulid.toUuid(id)));
                }
            }
            assertEquals(threads * each, all.size());
        } finally {
            pool.shutdownNow();
        }
    }

    private static String toUlid(UUID uuid) {
        String alphabet = "0123456789abcdefghjkmnpqrstvwxyz";
        java.math.BigInteger n = new java.math.BigInteger(1, java.nio.ByteBuffer.allocate(16)
                .putLong(uuid.getMostSignificantBits()).putLong(uuid.getLeastSignificantBits()).array());
        char[] out = new char[26];
        for (int i = 25; i >= 0; i--) {
            out[i] = alphabet.charAt(n.intValue() & 31);
            n = n.shiftRight(5);
        }
        return new String(out);
    }

    private static SecureRandom fixed(byte value) {
        return new SecureRandom() {
            @Override
            public void nextBytes(byte[] bytes) {
                java.util.Arrays.fill(bytes, value);
            }
        };
    }
}
