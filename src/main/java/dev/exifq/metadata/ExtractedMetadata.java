package dev.exifq.metadata;

import java.util.List;
import java.util.Map;

/**
 * What {@link MetadataReader#read} found in one file.
 *
 * @param metadataJson ExifTool's {@code -json -g -struct} object for the file exactly as printed (key order, number
 *                     spelling, binary placeholders), minus {@code SourceFile} and the {@code ExifTool} and
 *                     {@code File} groups (server paths, dates, permissions); {@code "{}"} if nothing is left
 * @param fileType     File:FileType (e.g. "JPEG", "HEIC", "CR2"), or null when exiftool could not type the file
 * @param mimeType     File:MIMEType (e.g. "image/jpeg"), or null
 * @param width        pixel width of the image a user sees (see {@link MetadataReader}), or null
 * @param height       pixel height, or null
 * @param error        ExifTool:Error (e.g. "Unknown file type", "File format error", "File is empty"), or an
 *                     "Error:" line exiftool printed instead of output; null if none. The caller decides what an
 *                     error means (typically: not an image)
 * @param warnings     ExifTool:Warning (exiftool reports the first warning only without {@code -a}), possibly empty
 * @param previewSizes the embedded images {@link MetadataReader#extractPreview} can fetch (tag → bytes), read from the
 *                     same output so no second ExifTool run is needed to learn them; null when a tag appears in
 *                     two groups and only ExifTool knows which one {@code -b -TAG} returns
 */
public record ExtractedMetadata(String metadataJson, String fileType, String mimeType, Integer width, Integer height,
                                String error, List<String> warnings, Map<String, Long> previewSizes) {

    public ExtractedMetadata {
        warnings = warnings == null ? List.of() : List.copyOf(warnings);
        previewSizes = previewSizes == null ? null : Map.copyOf(previewSizes);
    }
}
