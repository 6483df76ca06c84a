package dev.exifq.duplicates;

import dev.exifq.images.HashBands;
import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BandProbesTest {

    @Test
    void countsAreSumsOfBinomials() {
        assertEquals(1, BandProbes.count(0));
        assertEquals(17, BandProbes.count(1));
        assertEquals(137, BandProbes.count(2));
        assertEquals(697, BandProbes.count(3));
        assertEquals(2517, BandProbes.count(4));
        assertEquals(65536, BandProbes.count(16));
    }

    @Test
    void enumeratesExactlyTheValuesWithinTheRadius() {
        for (int radius = 0; radius <= 4; radius++) {
            for (int value : new int[]{0, 0xFFFF, 0x8001, 0x1234, 0xBEEF}) {
                int[] probes = BandProbes.within(value, radius);
                assertEquals(value, probes[0]);
                Set<Integer> seen = new HashSet<>();
                for (int p : probes) {
                    assertTrue(p >= 0 && p <= 0xFFFF, "16 bits: " + p);
                    assertTrue(Integer.bitCount(p ^ value) <= radius);
                    assertTrue(seen.add(p), "duplicate probe " + p);
                }
                int expected = 0;
                for (int v = 0; v <= 0xFFFF; v++) if (Integer.bitCount(v ^ value) <= radius) expected++;
                assertEquals(expected, probes.length);
            }
        }
    }

    @Test
    void bandRadiusIsThePigeonholeBound() {
        assertEquals(0, BandProbes.bandRadius(3));
        assertEquals(1, BandProbes.bandRadius(6));
        assertEquals(2, BandProbes.bandRadius(10));
        assertEquals(4, BandProbes.bandRadius(16));
    }

    @Test
    void bandsAreTheOnesTheWriterStores() {
        long h = 0x0123_4567_89AB_CDEFL;
        for (int b = 0; b < 4; b++) assertEquals(HashBands.band(h, b), BandProbes.band(h, b));
        assertEquals(0x0123, BandProbes.band(h, 0));
        assertEquals(0xCDEF, BandProbes.band(h, 3));
        assertEquals(0xFFFF, BandProbes.band(-1L, 0));
    }
}
