package dev.exifq.images;

import dev.exifq.testing.Corpus;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

class ImageSnifferTest {

    /**
     * Every corpus file is an image, and where the sniffer names a type it is ExifTool's own
     * (File:FileTypeExtension of the reference, made under the file's own name); the rest stay unnamed.
     */
    @Test
    void namesEveryCorpusTypeAsExifToolDoesOrNotAtAll() throws IOException {
        List<String> wrong = new ArrayList<>();
        Map<String, Integer> unnamed = new TreeMap<>();
        for (Path image : Corpus.images()) {
            String name = image.getFileName().toString();
            ImageSniffer.Sniffed sniffed = ImageSniffer.sniff(image);
            String exiftool = Corpus.referenceFileGroup(name).path("FileTypeExtension").asText();
            if (!sniffed.image()) {
                wrong.add(name + ": not an image");
            } else if (sniffed.extension() == null) {
                unnamed.merge(exiftool, 1, Integer::sum);
            } else if (!sniffed.extension().equals(exiftool)) {
                wrong.add(name + ": " + sniffed.extension() + ", ExifTool: " + exiftool);
            }
        }
        assertEquals(List.of(), wrong);
        // TIFF-based files ExifTool tells apart by content, and JPEG 2000 (JP2/JPX/JPM) and SVG
        assertEquals(Map.of("tif", 10, "dng", 1, "nef", 1, "jp2", 1, "svg", 1), unnamed);
    }

    @Test
    void nonImagesAndTinyFilesAreNotImages() {
        for (String text : List.of("", "GIF", "hello, world", "%PDF-1.7\n", "PK\u0003\u0004zip", "#!/bin/sh\n")) {
            assertFalse(ImageSniffer.sniff(text.getBytes(StandardCharsets.ISO_8859_1)).image(), text);
        }
        assertFalse(ImageSniffer.sniff(new byte[] {0, 0, 0, 0x18, 'f', 't', 'y'}).image());
    }

    @Test
    void theKeyCarriesOnlyTheSniffedExtension() {
        assertEquals("originals/01hq3v6k2m8x9y7z5w4t3s2r1q.rw2",
                OriginalKeys.of("01hq3v6k2m8x9y7z5w4t3s2r1q", ImageSniffer.Sniffed.image("rw2")));
        assertEquals("originals/01hq3v6k2m8x9y7z5w4t3s2r1q",
                OriginalKeys.of("01hq3v6k2m8x9y7z5w4t3s2r1q", ImageSniffer.Sniffed.UNNAMED_IMAGE));
    }
}
