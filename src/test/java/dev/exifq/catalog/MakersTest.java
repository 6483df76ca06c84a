package dev.exifq.catalog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** EXIF maker spellings → lensfun display makes, over the real catalogue. */
class MakersTest {

    private final Makers makers = TestCatalog.catalog().makers();

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "NIKON CORPORATION|Nikon",
        "NIKON|Nikon",
        "Nikon Corporation|Nikon",
        "OLYMPUS IMAGING CORP.|Olympus",
        "OLYMPUS OPTICAL CO.,LTD|Olympus",
        "OLYMPUS CORPORATION|Olympus",
        "OM Digital Solutions|OM System",
        "SONY|Sony",
        "Canon|Canon",
        "FUJIFILM|Fujifilm",
        "FUJI PHOTO FILM CO., LTD.|Fujifilm",
        "Panasonic|Panasonic",
        "PENTAX|Pentax",
        "PENTAX Corporation|Pentax",
        "ASAHI OPTICAL CO.,LTD|Pentax",
        "Samsung Techwin|Samsung",
        "samsung|Samsung",
        "EASTMAN KODAK COMPANY|Kodak",
        "Eastman Kodak Company|Kodak",
        "KODAK|Kodak",
        "KONICA MINOLTA|Konica Minolta",
        "Konica Minolta Camera, Inc.|Konica Minolta",
        "Minolta Co., Ltd.|Minolta",
        "SIGMA|Sigma",
        "Apple|Apple",
        "CASIO COMPUTER CO.,LTD|Casio",
        "CASIO COMPUTER CO.,LTD.|Casio",
        "LEICA CAMERA AG|Leica",
        "LG Electronics|LG",
        "HUAWEI|Huawei",
        "GoPro|GoPro",
        "SEIKO EPSON CORP.|Epson",
    })
    void normalisesExifMakers(String exif, String make) {
        assertEquals(make, makers.normalise(exif), exif);
        assertTrue(makers.resolve(exif).contains(make), exif);
    }

    @Test
    void ricohImagingNamesBothItsBrands() {
        Set<String> makes = makers.resolve("RICOH IMAGING COMPANY, LTD.");
        assertTrue(makes.containsAll(Set.of("Pentax", "Ricoh")), makes.toString());
        assertEquals("Ricoh", makers.normalise("RICOH IMAGING COMPANY, LTD."));
    }

    @Test
    void unknownMakersResolveToNothing() {
        assertEquals(Set.of(), makers.resolve("Google"));
        assertEquals(Set.of(), makers.resolve("HMD Global"));
        assertEquals(Set.of(), makers.resolve("SANYO Electric Co.,Ltd."));
        assertEquals(Set.of(), makers.resolve(""));
        assertEquals(Set.of(), makers.resolve(null));
        assertEquals(null, makers.normalise("Google"));
    }
}
