package dev.exifq.catalog;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The search tiers and the common names people type for cameras. */
class SearchRankTest {

    @Test
    void commonNamesOfCameras() {
        assertEquals(List.of("a7 III"), SearchRank.commonCameraNames("Sony", "Alpha 7 III"));
        assertEquals(List.of("OM-D E-M1"), SearchRank.commonCameraNames("Olympus", "E-M1"));
        assertEquals(List.of("PEN E-PL5"), SearchRank.commonCameraNames("Olympus", "E-PL5"));
        assertEquals(List.of("5D Mark IV"), SearchRank.commonCameraNames("Canon", "EOS 5D Mark IV"));
        assertEquals(List.of("GH5"), SearchRank.commonCameraNames("Panasonic", "DC-GH5"));
        assertEquals(List.of("RX100"), SearchRank.commonCameraNames("Sony", "Cyber-shot DSC-RX100"));
        assertEquals(List.of("S23 Ultra"), SearchRank.commonCameraNames("Samsung", "Galaxy S23 Ultra"));
        // a series name alone is not a code; other makers' "Alpha" is no Sony a-number
        assertEquals(List.of(), SearchRank.commonCameraNames("Canon", "EOS M"));
        assertEquals(List.of(), SearchRank.commonCameraNames("Acme", "Alpha 7"));
        assertEquals(List.of(), SearchRank.commonCameraNames("Sony", null));
    }

    @Test
    void tiers() {
        String[] keys = SearchRank.keys("Sony", List.of("FE 24-70mm f/2.8 GM", "Sony FE 24-70mm F2.8 GM"));
        String[] words = SearchRank.words(List.of("FE 24-70mm f/2.8 GM", "Sony"));
        assertEquals(SearchRank.EXACT, SearchRank.tier(SearchRank.Query.of("fe 24-70mm f2.8 gm"), keys, words));
        assertEquals(SearchRank.EXACT, SearchRank.tier(SearchRank.Query.of("Sony FE 24-70mm F2.8 GM"), keys, words));
        assertEquals(SearchRank.PREFIX, SearchRank.tier(SearchRank.Query.of("fe 24-70"), keys, words));
        assertEquals(SearchRank.WORDS, SearchRank.tier(SearchRank.Query.of("24-70 2.8 gm"), keys, words));
        assertEquals(SearchRank.WORDS, SearchRank.tier(SearchRank.Query.of("sony 2.8 24"), keys, words));
        // "2.8" is one word: 2 and 8 alone are not whole words of this lens; nor is "g" (only inside "gm")
        assertEquals(SearchRank.SUBSTRING, SearchRank.tier(SearchRank.Query.of("24-70 g"), keys, words));
        assertEquals(SearchRank.SUBSTRING, SearchRank.tier(SearchRank.Query.of("24 8"), keys, words));
        assertEquals(SearchRank.SUBSTRING, SearchRank.tier(SearchRank.Query.of(""), keys, words));
        // f/4.0 and f/4 are the same aperture
        String[] f4 = SearchRank.words(List.of("Nikkor Z 24-70mm f/4 S"));
        assertEquals(SearchRank.WORDS, SearchRank.tier(SearchRank.Query.of("24-70 4.0"), new String[0], f4));
    }
}
