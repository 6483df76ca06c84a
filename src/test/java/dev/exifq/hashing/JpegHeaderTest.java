package dev.exifq.hashing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.util.ArrayList;
import java.util.List;

import javax.imageio.stream.FileImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;

import org.junit.jupiter.api.Test;

/**
 * The size a JPEG's frame header gives, which the native path hashes with instead of asking the JDK's reader (whose
 * header read tests an embedded ICC profile by building a colour transform, milliseconds per photo).
 */
class JpegHeaderTest {
    @Test
    void everyCorpusJpegHasPillowsSizeInItsFrameHeader() throws Exception {
        List<String> wrong = new ArrayList<>();
        int checked = 0;
        for (Corpus.Row row : Corpus.hashedRows()) {
            if (!row.pilFormat().equals("JPEG") && !row.pilFormat().equals("MPO")) {
                continue;
            }
            try (FileImageInputStream in = new FileImageInputStream(row.path().toFile())) {
                JpegHeader header = JpegHeader.read(in);
                assertEquals(0, in.getStreamPosition(), "the position is restored");
                if (!header.hasSize() || header.width != row.width() || header.height != row.height()) {
                    wrong.add(row.file() + ": " + header.width + "x" + header.height + ", Pillow "
                            + row.width() + "x" + row.height());
                }
            }
            checked++;
        }
        assertTrue(checked >= 100, "the corpus's JPEGs were read: " + checked);
        assertEquals(List.of(), wrong);
    }

    @Test
    void aJpegIsLargeByItsFrameHeadersSize() throws Exception {
        // 42_IndexError.jpg declares 12.2 Mpx: over a band of 10 Mpx, within one of 20
        java.nio.file.Path photo = Corpus.IMAGES.resolve("exifsamples__jpg__tests__42_IndexError.jpg");
        assertTrue(new ImageHasher(200_000_000L, 10_000_000L, true).large(photo));
        assertFalse(new ImageHasher(200_000_000L, 20_000_000L, true).large(photo));
        // refused for its size anyway: not a large-image decode
        assertFalse(new ImageHasher(10_000_000L, 1_000_000L, true).large(photo));
    }

    @Test
    void aFrameHeaderThatLeavesTheHeightToADnlMarkerHasNoSize() throws Exception {
        byte[] jpeg = {
                (byte) 0xFF, (byte) 0xD8,
                (byte) 0xFF, (byte) 0xC0, 0, 11, 8, 0, 0, 0, 16, 1, 1, 0x11, 0, // SOF0: height 0, width 16, grey
                (byte) 0xFF, (byte) 0xDA, 0, 8, 1, 1, 0, 0, 63, 0}; // SOS
        try (MemoryCacheImageInputStream in = new MemoryCacheImageInputStream(new ByteArrayInputStream(jpeg))) {
            JpegHeader header = JpegHeader.read(in);
            assertEquals(16, header.width);
            assertEquals(0, header.height);
            assertFalse(header.hasSize());
            assertEquals(JpegHeader.ColorSpace.GRAYSCALE, header.colorSpace());
        }
    }
}
