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

    private static String text(JsonNode n) {
        return n == null ? null : n.asText();
    }
}
