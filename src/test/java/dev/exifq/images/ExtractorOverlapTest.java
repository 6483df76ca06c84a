package dev.exifq.images;

import dev.exifq.hashing.ImageHasher;
import dev.exifq.metadata.ExifToolConfig;
import dev.exifq.metadata.ExifToolPool;
import dev.exifq.metadata.MetadataReader;
import dev.exifq.testing.Corpus;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * An extraction runs ExifTool beside the hash decode while the cores have room, and both on the calling thread once
 * more images are being extracted than there are cores (exifq.extract.overlap-up-to). Both ways give the same
 * result, the same tags and values and the same hashes, and the same failures.
 */
@QuarkusTest
class ExtractorOverlapTest {
    /** A JPEG, one with a large profile, a PNG, an LZW TIFF, a GIF, a raw file (no hashes, and why). */
    static final List<String> FILES = List.of("exiftool__Canon.jpg", "exifsamples__jpg__gps__DSCN0010.jpg",
            "exiftool__PNG.png", "exifsamples__tiff__Arbitro.tiff", "exiftool__GIF.gif", "exiftool__Nikon.nef");

    @Inject
    MetadataReader reader;
    @Inject
    ImageHasher hasher;
    @Inject
    ExifToolPool pool;
    @Inject
    ExifToolConfig config;
    @Inject
    MeterRegistry meters;

    private Extractor extractor(int overlapUpTo) {
        return new Extractor(reader, hasher, pool, config, meters, true, Duration.ofSeconds(20), Optional.of(overlapUpTo));
    }

    @Test
    void oneThreadAndOverlappedGiveTheSameExtraction() throws Exception {
        Extractor oneThread = extractor(0);
        Extractor overlapped = extractor(Integer.MAX_VALUE);
        Map<String, Extraction> alone = new LinkedHashMap<>();
        for (String name : FILES) {
            alone.put(name, oneThread.extract(Corpus.image(name)));
        }
        assertEquals(0, oneThread.overlappedSoFar(), "one-thread extractions handed ExifTool to another thread");
        for (String name : FILES) {
            Extraction both = overlapped.extract(Corpus.image(name));
            // a long-lived ExifTool process orders some Composite tags by the files it read before (docs/exiftool.md)
            assertEquals(Corpus.EXACT.readTree(alone.get(name).metadata()), Corpus.EXACT.readTree(both.metadata()), name);
            assertEquals(withoutMetadata(alone.get(name)), withoutMetadata(both), name);
            Corpus.HashRow expected = Corpus.hashes(name);
            if (expected != null && expected.dhash() != null && "image".equals(both.hashSource())) {
                assertEquals(expected.dhash(), both.dhash(), name);
                assertEquals(expected.phash(), both.phash(), name);
            }
            assertEquals(Corpus.expectedMetadata(name), Corpus.EXACT.readTree(both.metadata()), name);
        }
        assertEquals(FILES.size(), overlapped.overlappedSoFar());
    }

    private static Extraction withoutMetadata(Extraction x) {
        return new Extraction(x.contentType(), x.width(), x.height(), null, x.dhash(), x.phash(), x.oriented(),
                x.hashSource(), x.hashError(), x.cached(), x.cacheable());
    }

    @Test
    void notAnImageFailsTheSameBothWays() throws Exception {
        Path text = Files.createTempFile("extractor-overlap", ".txt");
        try {
            Files.writeString(text, "plain text, not an image\n".repeat(20));
            for (int overlapUpTo : new int[] {0, Integer.MAX_VALUE}) {
                ProcessingFailure f = assertThrows(ProcessingFailure.class, () -> extractor(overlapUpTo).extract(text));
                assertEquals("not_an_image", f.code(), "overlap-up-to " + overlapUpTo);
            }
        } finally {
            Files.deleteIfExists(text);
        }
    }
}
