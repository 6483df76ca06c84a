package dev.exifq.images;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;

/**
 * The type of a file from its first bytes, never from its name. Two uses: answer 415 at once for uploads that
 * are clearly not images (generous on purpose: ExifTool decides for real in the job), and name the server's
 * copy by its type, since ExifTool takes a file's extension as its first hint of the format (a raw file named
 * {@code .jpg} loses metadata, see MetadataReaderTest).
 *
 * <p>An extension is given only where the signature alone says the type; TIFF-based files other than the raws
 * below (TIFF, DNG, NEF, ARW, PEF...), and the rarer formats, get none and ExifTool types them by content.
 */
final class ImageSniffer {
    private static final int HEAD = 512;

    /** What the bytes say: {@code image} false for clearly not an image; {@code extension} null if not certain. */
    record Sniffed(boolean image, String extension) {
        static final Sniffed NOT_AN_IMAGE = new Sniffed(false, null);
        static final Sniffed UNNAMED_IMAGE = new Sniffed(true, null);

        static Sniffed image(String extension) {
            return new Sniffed(true, extension);
        }
    }

    private ImageSniffer() {}

    static Sniffed sniff(Path file) throws IOException {
        byte[] head = new byte[HEAD];
        int n;
        try (InputStream in = Files.newInputStream(file)) {
            n = in.readNBytes(head, 0, HEAD);
        }
        return sniff(Arrays.copyOf(head, n));
    }

    static Sniffed sniff(byte[] b) {
        if (b.length < 4) return Sniffed.NOT_AN_IMAGE;
        if (starts(b, 0xFF, 0xD8, 0xFF)) return Sniffed.image("jpg");
        if (starts(b, 0x89, 'P', 'N', 'G')) return Sniffed.image("png");
        if (ascii(b, 0, "GIF8")) return Sniffed.image("gif");
        if (ascii(b, 0, "RIFF") && ascii(b, 8, "WEBP")) return Sniffed.image("webp");
        if (ascii(b, 0, "II") || ascii(b, 0, "MM")) return tiffFamily(b);
        if (ascii(b, 4, "ftyp")) return isoMedia(b);
        if (ascii(b, 0, "BM")) return Sniffed.image("bmp");
        if (ascii(b, 0, "8BPS")) return Sniffed.image(b.length > 5 && b[5] == 2 ? "psb" : "psd");
        if (ascii(b, 0, "FUJIFILM")) return Sniffed.image("raf");
        if (ascii(b, 0, "FOVb")) return Sniffed.image("x3f");
        if (starts(b, 0, 'M', 'R', 'M')) return Sniffed.image("mrw");
        if (starts(b, '~', 0x10, 0x04) || starts(b, '~', 0x18, 0x04)) return Sniffed.image("mie");
        if (starts(b, 0x76, 0x2F, 0x31, 0x01)) return Sniffed.image("exr");
        if (starts(b, 0xFF, 0x0A) || starts(b, 0, 0, 0, 0x0C, 'J', 'X', 'L', ' ')) return Sniffed.image("jxl");
        if (starts(b, 0, 0, 0, 0x0C, 'j', 'P')                         // JPEG 2000 (JP2, JPX, JPM)
                || starts(b, 0xFF, 0x4F, 0xFF, 0x51)                   // JPEG 2000 codestream
                || starts(b, 0, 0, 1, 0) || starts(b, 0, 0, 2, 0)      // ICO, CUR
                || ascii(b, 0, "DDS ") || ascii(b, 0, "qoif")
                || starts(b, 0x0A) && b.length > 2 && b[2] == 1        // PCX
                || ascii(b, 0, "P1") || ascii(b, 0, "P4") || ascii(b, 0, "P5") || ascii(b, 0, "P6") // PBM/PGM/PPM
                || isSvg(b)) {
            return Sniffed.UNNAMED_IMAGE;
        }
        return Sniffed.NOT_AN_IMAGE;
    }

    /**
     * Raws with a signature of their own; plain TIFF and the raws that are plain TIFF up to their maker notes
     * (DNG, NEF, ARW, PEF...) stay unnamed: ExifTool tells them apart by content, a {@code .tif} would not.
     */
    private static Sniffed tiffFamily(byte[] b) {
        if (ascii(b, 0, "II*\0") && ascii(b, 8, "CR")) return Sniffed.image("cr2");
        if (ascii(b, 0, "II\u001A\0\0\0HEAPCCDR")) return Sniffed.image("crw");
        if (ascii(b, 0, "IIU\0")) return Sniffed.image("rw2");
        if (ascii(b, 0, "IIRO") || ascii(b, 0, "IIRS") || ascii(b, 0, "MMOR")) return Sniffed.image("orf");
        // Phase One: a TIFF header, then IIII or MMMM; ExifTool itself only knows IIQ by its extension
        if ((ascii(b, 0, "II*\0") || ascii(b, 0, "MM\0*")) && (ascii(b, 8, "IIII") || ascii(b, 8, "MMMM"))) {
            return Sniffed.image("iiq");
        }
        return Sniffed.UNNAMED_IMAGE;
    }

    /** ISO base media (HEIC, HEIF, AVIF, CR3) by the major brand; other brands (video...) stay unnamed. */
    private static Sniffed isoMedia(byte[] b) {
        if (b.length < 12) return Sniffed.NOT_AN_IMAGE;
        String brand = new String(b, 8, 4, StandardCharsets.ISO_8859_1);
        return switch (brand) {
            case "heic", "heix" -> Sniffed.image("heic");
            case "mif1" -> Sniffed.image("heif");
            case "avif" -> Sniffed.image("avif");
            case "crx " -> Sniffed.image("cr3");
            default -> Sniffed.UNNAMED_IMAGE;
        };
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
