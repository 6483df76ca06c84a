package dev.exifq.hashing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.DataBuffer;
import java.awt.image.SampleModel;
import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import javax.imageio.ImageReader;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.stream.FileImageInputStream;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;

import org.junit.jupiter.api.Test;

/**
 * The large-image check's bytes per pixel of a TIFF, read from its tags, equals what the JDK reader's raw image
 * type says (the figure used before, whose ICC test costs an LCMS transform) for every TIFF of the corpus and of
 * the hashing fixtures, which between them hold grey, 16-bit grey, bilevel, palette, RGB, RGBA and CMYK.
 */
class TiffPixelBytesTest {
    private static final Path FIXTURES = Path.of("src/test/resources/dev/exifq/hashing/fixtures");

    @Test
    void tagsGiveTheReadersFigureForEveryTiff() throws IOException {
        List<Path> tiffs = new ArrayList<>();
        for (Path dir : List.of(Corpus.IMAGES, FIXTURES)) {
            try (Stream<Path> files = Files.list(dir)) {
                files.filter(p -> p.getFileName().toString().toLowerCase().matches(".*\\.tiff?")).sorted()
                        .forEach(tiffs::add);
            }
        }
        assertTrue(tiffs.size() >= 19, "expected the corpus's 10 TIFFs and the 9 fixtures, found " + tiffs);
        List<String> layouts = new ArrayList<>();
        for (Path tiff : tiffs) {
            onReader(new FileImageInputStream(tiff.toFile()), false, reader -> {
                Integer fromTags = TiffPixelBytes.of(reader);
                ImageTypeSpecifier raw = reader.getRawImageType(0);
                SampleModel sm = raw.getSampleModel(1, 1);
                int fromReader = Math.max(1,
                        (DataBuffer.getDataTypeSize(sm.getDataType()) * sm.getNumDataElements() + 7) / 8);
                assertEquals(fromReader, fromTags, tiff.getFileName().toString());
                layouts.add(fromTags + " bytes: " + tiff.getFileName());
            });
        }
        // one-, two-, three- and four-byte pixels among them
        assertTrue(layouts.stream().anyMatch(l -> l.startsWith("1 bytes")), String.join("\n", layouts));
        assertTrue(layouts.stream().anyMatch(l -> l.startsWith("3 bytes")), String.join("\n", layouts));
        assertTrue(layouts.stream().anyMatch(l -> l.startsWith("4 bytes")), String.join("\n", layouts));
        assertTrue(layouts.stream().anyMatch(l -> l.startsWith("2 bytes")), String.join("\n", layouts));
    }

    @Test
    void aTruncatedDirectoryGivesTheFallbackNotAnException() throws IOException {
        // little-endian header, first IFD at 8 claiming 3 entries, then one SamplesPerPixel entry and the end
        byte[] tiff = {'I', 'I', 42, 0, 8, 0, 0, 0, 3, 0, (byte) 277, 1, 3, 0, 1, 0, 0, 0, 3, 0};
        onReader(inMemory(tiff), true, reader -> {
            assertThrows(EOFException.class, () -> TiffPixelBytes.of(reader));
            assertEquals(4, ImageHasher.bytesPerPixel(reader)); // what it answered before for unreadable files
        });
    }

    @Test
    void aBitsPerSampleListLongerThanAnyRealFileIsLeftToTheReader() throws IOException {
        // one IFD entry: BitsPerSample, SHORT, 1,000 values at offset 26 (never read: refused by its count)
        byte[] tiff = {'I', 'I', 42, 0, 8, 0, 0, 0, 1, 0, 2, 1, 3, 0, (byte) 0xE8, 3, 0, 0, 26, 0, 0, 0, 0, 0, 0, 0};
        onReader(inMemory(tiff), true, reader -> assertNull(TiffPixelBytes.of(reader)));
    }

    @Test
    void otherReadersAreLeftToTheirOwnFigure() throws IOException {
        Path png;
        try (Stream<Path> files = Files.list(FIXTURES)) {
            png = files.filter(p -> p.toString().endsWith(".png")).findFirst().orElseThrow();
        }
        onReader(new FileImageInputStream(png.toFile()), false, reader -> assertNull(TiffPixelBytes.of(reader)));
    }

    private interface ReaderCheck {
        void check(ImageReader reader) throws IOException;
    }

    private static ImageInputStream inMemory(byte[] bytes) {
        return new MemoryCacheImageInputStream(new ByteArrayInputStream(bytes));
    }

    /** Runs the check on the reader Readers.find picks for the stream, then disposes of both. */
    private static void onReader(ImageInputStream stream, boolean ignoreMetadata, ReaderCheck check)
            throws IOException {
        try (ImageInputStream iis = stream) {
            ImageReader reader = Readers.find(iis);
            assertNotNull(reader);
            reader.setInput(iis, false, ignoreMetadata);
            try {
                check.check(reader);
            } finally {
                reader.dispose();
            }
        }
    }
}
