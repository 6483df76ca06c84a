package dev.exifq.catalog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The EXIF model rules for secondary cameras, each with the maker habit it stands for and counter-examples. */
class ModelKeysTest {

    private static List<String> keys(String model, String make, String... makerWords) {
        return ModelKeys.queryKeys(model, make, Set.of(makerWords));
    }

    @Test
    void kodakDescriptionAfterTheNameIsDropped() {
        // Kodak writes "KODAK CX7530 ZOOM DIGITAL CAMERA": maker, name, then a description
        List<String> k = keys("KODAK CX7530 ZOOM DIGITAL CAMERA", "Kodak", "kodak", "eastman");
        assertTrue(k.contains("cx7530"), k.toString());
        assertTrue(k.contains("cx7530zoom"), k.toString());
        assertEquals("cx7530zoomdigitalcamera", k.get(0), "the whole model is tried first");
        // not a description: a name that only contains the words
        assertFalse(keys("Digital Camera X", "Kodak", "kodak").contains("x"));
    }

    @Test
    void firmwareInParenthesesIsDropped() {
        List<String> k = keys("DC210 Zoom (V05.00)", "Kodak", "kodak");
        assertTrue(k.contains("dc210zoom"), k.toString());
        // but nothing turns it into another model: the DC210 Plus is a different camera
        assertFalse(k.contains("dc210plus"));
        assertFalse(k.contains("dc210"));
        // "iPhone SE (2nd generation)" is a whole name: tried first
        assertEquals("iphonese2ndgeneration", keys("iPhone SE (2nd generation)", "Apple", "apple").get(0));
    }

    @Test
    void commaSeparatedMarketNamesAndAngleBrackets() {
        // Olympus: names for several markets; Samsung Techwin: the same in angle brackets
        assertTrue(keys("u1020,S1020", "Olympus", "olympus").containsAll(List.of("u1020", "s1020", "stylus1020")));
        List<String> samsung = keys("<Digimax i50 MP3, Samsung #1 MP3>", "Samsung", "samsung");
        assertTrue(samsung.contains("digimaxi50mp3"), samsung.toString());
        assertTrue(samsung.contains("1mp3"), "the maker word is dropped from the second name: " + samsung);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        // Nikon writes E + number for the Coolpix of that number
        "Nikon|E775|coolpix775",
        "Nikon|E5700|coolpix5700",
        // Olympus: u / mju = the µ series, "Stylus" in America, "mju" in Europe; trailing Z = Zoom
        "Olympus|u760|stylus760",
        "Olympus|u760|mju760",
        "Olympus|C2000Z|c2000zoom",
        "Olympus|C960Z|c960zoom",
    })
    void makerShortForms(String make, String model, String expected) {
        assertTrue(keys(model, make).contains(expected), keys(model, make).toString());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        // the rewrites are the maker's own: another maker's E775 or u760 is not a Coolpix or Stylus
        "Fujifilm|E775|coolpix775",
        "Samsung|u760|stylus760",
        "Canon|A5Z|a5zoom",
        // only E + a 3-4 digit number is a Coolpix: Nikon's E-M1... does not exist, "E2" is not one
        "Nikon|E2|coolpix2",
        // Olympus "UZ" models are not µ models
        "Olympus|UZ10|stylusz10",
    })
    void makerShortFormsAreNotAppliedElsewhere(String make, String model, String notExpected) {
        assertFalse(keys(model, make).contains(notExpected), keys(model, make).toString());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "easysharecx7530|Kodak|cx7530",
        "cybershotdscd700|Sony|dscd700",
        "capliorr330|Ricoh|rr330",
        "exilimexm2|Casio|exm2",
        "finepixe500zoom|Fujifilm|e500",
        "mx1700zoom|Fujifilm|mx1700",
        "powershota5|Canon|a5",
        // Canon's A5 Zoom is its own camera: "zoom" is only optional for Fujifilm
        "powershota5zoom|Canon|a5zoom",
        // another maker's series word is a model word
        "easysharecx7530|Nikon|easysharecx7530",
    })
    void tolerantKeyDropsTheMakersSeriesWord(String key, String make, String expected) {
        assertEquals(expected, ModelKeys.tolerantKey(key, make));
    }

    @Test
    void seriesNameAloneIsNoTolerantKey() {
        // "Canon DIGITAL IXUS" is the original Digital IXUS: matched exactly, never as "any IXUS"
        assertNull(ModelKeys.tolerantKey("digitalixus", "Canon"));
        assertNull(ModelKeys.tolerantKey("galaxy", "Samsung"));
        assertNull(ModelKeys.tolerantKey("", "Canon"));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "Fujifilm|finepix2400zoom|FinePix 2400 Zoom",
        "Fujifilm|finepix40i|FinePix 40i",
        "Fujifilm|finepixf45fd|FinePix F45 FD",
        "Kodak|dc240|DC240",
        "Kodak|easysharecx7530|EasyShare CX7530",
        "Canon|powershota5|PowerShot A5",
        "Canon|powershota570is|PowerShot A570 IS",
        "Canon|digitalixus|Digital IXUS",
        "Canon|eosrebelt2i/550d|EOS Rebel T2i / 550D",
        "Sony|cybershotdscd700|Cyber-shot DSC-D700",
        "Panasonic|lumixdmcfx580|Lumix DMC-FX580",
        "Olympus|stylus1020|Stylus 1020",
        "Olympus|c2000zoom|C2000 Zoom",
        "Samsung|digimaxi50mp3|Digimax I50 MP3",
        "Casio|exilimexm2|Exilim EXM2",
        "Ricoh|capliorr330|Caplio RR330",
        "Nikon|coolpix775|Coolpix 775",
        "GE|e1035|E1035",
        "Rollei|dk4010|DK4010",
        "Jenoptik|jd2.1ff|JD2.1 FF",
    })
    void prettyNames(String make, String key, String expected) {
        assertEquals(expected, ModelKeys.prettyName(make, key));
    }
}
