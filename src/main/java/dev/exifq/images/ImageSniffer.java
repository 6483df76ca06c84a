package dev.exifq.images;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;

/**
 * A quick look at the first bytes of an upload, to answer 415 at once for files that are clearly not
 * images. Generous on purpose: ExifTool decides for real in the job; this only turns away text,
 * documents, archives and executables before they are queued.
 */
final class ImageSniffer {
    private static final int HEAD = 512;

    private ImageSniffer() {}

    static boolean looksLikeImage(Path file) throws IOException {
        byte[] head = new byte[HEAD];
        int n;
        try (InputStream in = Files.newInputStream(file)) {
            n = in.readNBytes(head, 0, HEAD);
        }
        return looksLikeImage(Arrays.copyOf(head, n));
    }

    static boolean looksLikeImage(byte[] b) {
        if (b.length < 4) return false;
        return starts(b, 0xFF, 0xD8, 0xFF)                                  // JPEG
                || starts(b, 0x89, 'P', 'N', 'G')                             // PNG
                || ascii(b, 0, "GIF8")                                        // GIF
                || ascii(b, 0, "BM")                                          // BMP
                || ascii(b, 0, "II") || ascii(b, 0, "MM")                     // TIFF and TIFF-based raws (CR2, NEF, DNG, ARW, ORF, RW2, IIQ, CRW)
                || (ascii(b, 0, "RIFF") && b.length >= 12 && ascii(b, 8, "WEBP"))
                || (b.length >= 12 && ascii(b, 4, "ftyp"))                    // HEIC, HEIF, AVIF, CR3 (ISO BMFF)
                || starts(b, 0, 0, 0, 0x0C, 'j', 'P')                         // JPEG 2000
                || starts(b, 0xFF, 0x4F, 0xFF, 0x51)                          // JPEG 2000 codestream
                || starts(b, 0xFF, 0x0A)                                      // JPEG XL codestream
                || starts(b, 0, 0, 0, 0x0C, 'J', 'X', 'L', ' ')               // JPEG XL container
                || ascii(b, 0, "8BPS")                                        // PSD
                || starts(b, 0x76, 0x2F, 0x31, 0x01)                          // OpenEXR
                || ascii(b, 0, "FUJIFILM")                                    // RAF
                || ascii(b, 0, "FOVb")                                        // Sigma X3F
                || starts(b, 0, 'M', 'R', 'M')                                // Minolta MRW
                || starts(b, '~', 0x10, 0x04) || starts(b, '~', 0x18, 0x04)  // MIE
                || starts(b, 0, 0, 1, 0) || starts(b, 0, 0, 2, 0)             // ICO, CUR
                || ascii(b, 0, "DDS ") || ascii(b, 0, "qoif")
                || starts(b, 0x0A) && b.length > 2 && b[2] == 1               // PCX
                || ascii(b, 0, "P1") || ascii(b, 0, "P4") || ascii(b, 0, "P5") || ascii(b, 0, "P6") // PBM/PGM/PPM
                || isSvg(b);
    }

    private static boolean isSvg(byte[] b) {
        String text = new String(b, StandardCharsets.UTF_8).toLowerCase(Locale.ROOT);
        return text.contains("<svg");
    }

    private static boolean ascii(byte[] b, int offset, String s) {
        if (b.length < offset + s.length()) return false;
        for (int i = 0; i < s.length(); i++) {
            if (b[offset + i] != (byte) s.charAt(i)) return false;
        }
        return true;
    }

    private static boolean starts(byte[] b, int... sig) {
        if (b.length < sig.length) return false;
        for (int i = 0; i < sig.length; i++) {
            if ((b[i] & 0xFF) != sig[i]) return false;
        }
        return true;
    }
}
