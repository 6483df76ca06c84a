package dev.exifq.hashing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class HammingTest {
    @Test
    void distanceCountsDifferingBits() {
        assertEquals(0, Hamming.distance("8000000000000000", "8000000000000000"));
        assertEquals(1, Hamming.distance("8000000000000000", "0000000000000000"));
        assertEquals(64, Hamming.distance("ffffffffffffffff", "0000000000000000"));
        assertEquals(2, Hamming.distance("d9c2d2d2d726262e", "d9c2d292d726662e"));
        assertEquals(Hamming.distance("00ff", "0f0f"), Hamming.distance("0f0f", "00ff"));
    }

    @Test
    void parseAndHexRoundTrip() {
        assertEquals(0x8000000000000000L, Hamming.parse("8000000000000000"));
        assertEquals(-1L, Hamming.parse("FFFFFFFFFFFFFFFF"));
        assertEquals(0xabcL, Hamming.parse("abc"));
        assertEquals("0000000000000abc", Hamming.hex(0xabcL));
        assertEquals("8000000000000000", Hamming.hex(Long.MIN_VALUE));
        assertEquals("ffffffffffffffff", Hamming.hex(-1L));
        for (String s : new String[] {"c2c0d0b39296c2f4", "0000000000000000", "aa556a556a556a55"}) {
            assertEquals(s, Hamming.hex(Hamming.parse(s)));
        }
    }

    @Test
    void parseRejectsBadInput() {
        assertThrows(IllegalArgumentException.class, () -> Hamming.parse(null));
        assertThrows(IllegalArgumentException.class, () -> Hamming.parse(""));
        assertThrows(IllegalArgumentException.class, () -> Hamming.parse("00000000000000000"));
        assertThrows(IllegalArgumentException.class, () -> Hamming.parse("xyz"));
        assertThrows(IllegalArgumentException.class, () -> Hamming.parse("+123"));
        assertThrows(IllegalArgumentException.class, () -> Hamming.distance("12", "zz"));
    }
}
