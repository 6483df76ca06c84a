package dev.exifq.images;

import dev.exifq.metadata.ExtractedMetadata;

import java.util.Set;

/** Which files count as images: what ExifTool recognises as an image format. */
final class ImageTypes {
    private static final Set<String> IMAGE_MIME_OUTSIDE_IMAGE_SLASH = Set.of(
            "application/vnd.adobe.photoshop", "application/x-photoshop", "application/dicom",
            "application/x-mie");

    private ImageTypes() {}

    static boolean isImage(ExtractedMetadata meta) {
        String mime = meta.mimeType();
        if (mime == null) {
            return false;
        }
        return mime.startsWith("image/") || IMAGE_MIME_OUTSIDE_IMAGE_SLASH.contains(mime);
    }

    static String whyNotImage(ExtractedMetadata meta) {
        if (meta.error() != null) {
            return "The file is not an image: " + meta.error() + ".";
        }
        if (meta.fileType() != null) {
            return "The file is not an image (it is " + meta.fileType() + ").";
        }
        return "The file is not an image.";
    }
}
