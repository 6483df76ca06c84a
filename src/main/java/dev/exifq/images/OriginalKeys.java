package dev.exifq.images;

import java.util.regex.Pattern;

/**
 * Blob keys for originals: server-made, {@code originals/<id>} plus the extension of the type the bytes show
 * ({@link ImageSniffer}), none where that is not certain. Never the client's extension: ExifTool takes it as
 * its first hint of the format.
 */
final class OriginalKeys {
    private static final Pattern EXT = Pattern.compile("[a-z0-9]{1,8}");

    private OriginalKeys() {}

    static String of(String imageId, ImageSniffer.Sniffed type) {
        String ext = type.extension();
        if (ext != null && !EXT.matcher(ext).matches()) {
            throw new IllegalArgumentException("not an extension: " + ext);
        }
        return "originals/" + imageId + (ext == null ? "" : "." + ext);
    }
}
