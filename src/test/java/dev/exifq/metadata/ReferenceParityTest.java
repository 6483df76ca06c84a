package dev.exifq.metadata;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every corpus file read through the pool (4 threads on a pool of 2) must give the reference output
 * ({@code exiftool -json -g -struct} with 13.59) minus SourceFile/ExifTool/File: as a JSON tree and as exact text.
 */
class ReferenceParityTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Map<String, Object> RESULTS = new ConcurrentHashMap<>();
    private static ExifToolPool pool;
    private static int maxLive;

    @BeforeAll
    static void readWholeCorpus() throws Exception {
        pool = new ExifToolPool(TestSupport.settings(2));
        MetadataReader reader = new MetadataReader(pool);
        ExecutorService threads = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (Path image : TestSupport.images()) {
                futures.add(threads.submit(() -> {
                    String name = image.getFileName().toString();
                    try {
                        RESULTS.put(name, reader.read(image));
                    } catch (RuntimeException e) {
                        RESULTS.put(name, e);
                    }
                    maxLive = Math.max(maxLive, pool.stats().liveProcesses());
                }));
            }
            for (Future<?> f : futures) {
                f.get();
            }
        } finally {
            threads.shutdownNow();
        }
    }

    @AfterAll
    static void closePool() {
        pool.close();
    }

    @Test
    void wholeCorpusWasReadByAtMostTwoProcesses() {
        assertEquals(TestSupport.images().size(), RESULTS.size());
        assertEquals(167, RESULTS.size(), "corpus size changed: update this test");
        assertTrue(maxLive <= 2, "live processes seen: " + maxLive);
        ExifToolPoolStats stats = pool.stats();
        assertEquals(2, stats.processesStarted(), stats.toString());
        assertEquals(0, stats.tasksFailed(), stats.toString());
        assertEquals(167, stats.tasksDone(), stats.toString());
    }

    @TestFactory
    Stream<DynamicTest> everyFileMatchesTheReference() {
        return TestSupport.images().stream().map(image -> {
            String name = image.getFileName().toString();
            return DynamicTest.dynamicTest(name, () -> check(name));
        });
    }

    private static void check(String name) throws Exception {
        Object result = RESULTS.get(name);
        assertNotNull(result, "not read");
        if (result instanceof Throwable t) {
            throw new AssertionError("reading failed", t);
        }
        ExtractedMetadata md = (ExtractedMetadata) result;
        String referenceText = TestSupport.referenceText(name);
        JsonNode reference = MAPPER.readTree(referenceText).get(0);

        // 1. as parsed JSON trees
        ObjectNode expectedTree = reference.deepCopy();
        expectedTree.remove(MetadataReader.DROPPED_KEYS);
        assertEquals(expectedTree, MAPPER.readTree(md.metadataJson()), "JSON tree differs");

        // 2. as exact text: every kept group (and the whole object) byte for byte, so number spelling counts
        assertEquals(TestSupport.expectedMetadataText(referenceText), md.metadataJson(), "raw text differs");
        ExifToolJson.SplitObject ours = ExifToolJson.splitSingle("[" + md.metadataJson() + "]");
        ExifToolJson.SplitObject ref = ExifToolJson.splitSingle(referenceText);
        for (var it = expectedTree.fieldNames(); it.hasNext(); ) {
            String group = it.next();
            assertEquals(ref.rawValue(group), ours.rawValue(group), "raw text of group " + group);
        }

        // 3. the fields taken from the dropped groups
        JsonNode file = reference.path("File");
        JsonNode exiftool = reference.path("ExifTool");
        assertEquals(text(file.get("FileType")), md.fileType(), "fileType");
        assertEquals(text(file.get("MIMEType")), md.mimeType(), "mimeType");
        assertEquals(text(exiftool.get("Error")), md.error(), "error");
        String warning = text(exiftool.get("Warning"));
        assertEquals(warning == null ? List.of() : List.of(warning), md.warnings(), "warnings");
        assertTrue(!md.metadataJson().contains("SourceFile") || !md.metadataJson().contains("\"Directory\""),
                "server paths leaked");
    }

    /** Where Pillow 9.4 opened the file as an image (hashes.csv), our width/height are its Image.size. */
    @TestFactory
    Stream<DynamicTest> dimensionsMatchPillowWherePillowOpensTheFile() throws Exception {
        List<String> lines = java.nio.file.Files.readAllLines(TestSupport.CORPUS.resolve("reference/hashes.csv"));
        assertEquals("file,sha256,width,height,pil_format,dhash,phash", lines.get(0));
        List<DynamicTest> tests = new ArrayList<>();
        for (String line : lines.subList(1, lines.size())) {
            String[] f = line.split(",", -1);
            ExtractedMetadata read = (ExtractedMetadata) RESULTS.get(f[0]);
            if (f[2].isEmpty() || MetadataReader.RAW_FILE_TYPES.contains(read.fileType())) {
                // Pillow opens CR2, NEF, DNG and IIQ as TIFF and reports IFD0 (a preview: 1536x1024, 160x106,
                // 8x8, 1x1), not the raw image: rawHeicAndOtherDimensions checks those
                continue;
            }
            tests.add(DynamicTest.dynamicTest(f[0], () -> {
                ExtractedMetadata md = (ExtractedMetadata) RESULTS.get(f[0]);
                assertEquals(Integer.valueOf(f[2]), md.width(), "width");
                assertEquals(Integer.valueOf(f[3]), md.height(), "height");
            }));
        }
        assertEquals(145, tests.size());
        return tests.stream();
    }

    /** Formats Pillow cannot open: the size of the image a user sees, chosen per format (see MetadataReader). */
    @Test
    void rawHeicAndOtherDimensions() {
        Map<String, String> expected = new java.util.LinkedHashMap<>();
        expected.put("exiftool__CanonRaw.cr2", "3456x2304");   // Composite:ImageSize (EXIF:ImageWidth is a 1536x1024 preview)
        expected.put("exiftool__CanonRaw.cr3", "6000x4000");
        expected.put("exiftool__CanonRaw.crw", "3072x2048");
        expected.put("exiftool__DNG.dng", "3456x2304");        // DefaultCropSize, not the 3516x2328 sensor area
        expected.put("exiftool__Nikon.nef", "3040x2014");
        expected.put("exiftool__FujiFilm.raf", "4256x1424");   // RawImageCroppedSize (File:ImageWidth is the 8x8 preview)
        expected.put("exiftool__Panasonic.rw2", "3648x2736");  // not File:ImageWidth 8x8 (preview) nor Exif 1920x1440
        expected.put("exiftool__Sigma.x3f", "2268x1512");
        expected.put("exiftool__SigmaDP2.x3f", "2640x1760");   // SigmaRaw; Composite:ImageSize is the 8x8 preview
        expected.put("exiftool__Minolta.mrw", "3264x2448");
        expected.put("exiftool__PhaseOne.iiq", "7320x5484");   // EXIF:ImageWidth is 1x1
        expected.put("exifsamples__heic__IMG_5195.HEIC", "2566x3313"); // primary item, not Exif 4032x3024
        expected.put("exifsamples__heic__mobile__iphone_13_pro_max.HEIC", "4032x3024");
        expected.put("exifsamples__heic__samplefilehub.heif", "640x426");
        expected.put("exiftool__QuickTime.heic", "1596x1064");
        expected.put("exiftool__MIE.mie", "100x80");           // MIE:ImageSize, thumbnail sizes ignored
        expected.put("exiftool__JXL.jxl", "200x130");
        expected.put("exiftool__OpenEXR.exr", "3x2");
        expected.put("exiftool__XMP.svg", "null");             // "4in x 3in" is no pixel size
        for (var e : expected.entrySet()) {
            ExtractedMetadata md = (ExtractedMetadata) RESULTS.get(e.getKey());
            String actual = md.width() == null && md.height() == null ? "null" : md.width() + "x" + md.height();
            assertEquals(e.getValue(), actual, e.getKey());
        }
        long withoutSize = RESULTS.values().stream()
                .filter(r -> ((ExtractedMetadata) r).width() == null).count();
        assertEquals(1, withoutSize, "only the SVG has no pixel size");
    }

    private static String text(JsonNode n) {
        return n == null ? null : n.asText();
    }
}
