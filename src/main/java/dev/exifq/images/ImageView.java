package dev.exifq.images;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.annotation.JsonRawValue;
import dev.exifq.platform.ApiTime;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** The image JSON of the PixelPeeper-compatible API; key order is part of the contract. */
@JsonPropertyOrder({"id", "status", "checksum", "filename", "bytesize", "content_type", "width", "height", "url",
        "final_url", "dhash", "phash", "error", "completed_at", "created_at", "updated_at", "metadata", "camera", "lens",
        "hash_source", "hash_error", "cached", "error_code", "original_stored", "processed_file"})
@Schema(name = "Image", description = "An image and everything extracted from it")
public record ImageView(
        @Schema(description = "26-character lowercase ULID", example = "01hq3v6k2m8x9y7z5w4t3s2r1q") String id,
        @Schema(enumeration = {"queued", "processing", "processed", "failed"}) String status,
        @Schema(description = "SHA-256 of the original bytes") String checksum,
        String filename,
        Long bytesize,
        String content_type,
        Integer width,
        Integer height,
        @Schema(description = "The submitted URL, null for uploads") String url,
        @Schema(description = "The URL after redirects") String final_url,
        String dhash,
        String phash,
        String error,
        @Schema(example = "2024-02-23 15:15:30 UTC") String completed_at,
        @Schema(example = "2024-02-23 15:15:29 UTC") String created_at,
        @Schema(example = "2024-02-23 15:15:30 UTC") String updated_at,
        @JsonRawValue @Schema(description = "exiftool -json -g -struct output without SourceFile, ExifTool and File groups",
                implementation = Object.class) String metadata,
        @JsonRawValue @Schema(implementation = Object.class) String camera,
        @JsonRawValue @Schema(implementation = Object.class) String lens,
        @Schema(description = "What the hashes were computed from: the image itself or its embedded JPEG preview "
                + "(raw files; HEIC/HEIF only where libheif is missing); null when neither could be decoded", enumeration = {"image", "preview"}) String hash_source,
        @Schema(description = "Why dhash/phash are null, when they are") String hash_error,
        @Schema(description = "True when identical bytes had been extracted before and that result was reused")
        boolean cached,
        @Schema(description = "Why a failed image failed, for programs to branch on (error is for people); null "
                + "unless failed", enumeration = {"url_not_allowed", "invalid_url", "url_not_found", "url_fetch_failed",
                "too_many_redirects", "timeout", "file_too_large", "not_an_image", "metadata_timeout", "file_missing",
                "storage_failed", "processing_error", "invalid_field", "format_not_writable", "write_failed"},
                example = "url_not_found") String error_code,
        @Schema(description = "True while the original file is stored; it is deleted after the retention period "
                + "(exifq.retention.originals), metadata and hashes stay") boolean original_stored,
        @JsonInclude(JsonInclude.Include.NON_NULL)
        @Schema(description = "Images submitted with an edit: the written file, downloadable until expires_at; "
                + "metadata and hashes describe it, checksum stays the original's") ProcessedFileView processed_file) {

    public record ProcessedFileView(String url, long bytesize, String checksum, String expires_at) {}

    public static ImageView of(Image i) {
        return ofAll(java.util.List.of(i)).get(0);
    }

    /** Views of several images with one query for the processed files of the edited ones (no query per image). */
    public static java.util.List<ImageView> ofAll(java.util.List<Image> images) {
        java.util.Map<String, ProcessedFileView> files = processedFiles(images);
        return images.stream().map(i -> new ImageView(i.id, i.status, i.checksum, i.filename, i.bytesize,
                i.contentType, i.width, i.height, i.sourceUrl, i.finalUrl, i.dhash, i.phash, i.error,
                ApiTime.format(i.completedAt), ApiTime.format(i.createdAt), ApiTime.format(i.updatedAt), i.metadata,
                i.camera, i.lens, i.hashSource, i.hashError, i.cached, i.errorCode, i.blobKey != null,
                files.get(i.id))).toList();
    }

    private static java.util.Map<String, ProcessedFileView> processedFiles(java.util.List<Image> images) {
        java.util.List<String> edited = images.stream()
                .filter(i -> i.edit != null && Image.PROCESSED.equals(i.status)).map(i -> i.id).toList();
        if (edited.isEmpty()) {
            return java.util.Map.of();
        }
        @SuppressWarnings("unchecked")
        java.util.List<Object[]> rows = Image.getEntityManager().createNativeQuery(
                "select image_id, bytesize, checksum, expires_at from processed_files where image_id in (:ids)")
                .setParameter("ids", edited).getResultList();
        java.util.Map<String, ProcessedFileView> files = new java.util.HashMap<>();
        for (Object[] r : rows) {
            java.time.Instant expires = r[3] instanceof java.sql.Timestamp t ? t.toInstant()
                    : r[3] instanceof java.time.OffsetDateTime o ? o.toInstant() : (java.time.Instant) r[3];
            String id = r[0].toString().trim();
            files.put(id, new ProcessedFileView("/v1/images/" + id + "/file", ((Number) r[1]).longValue(),
                    r[2].toString().trim(), ApiTime.format(expires)));
        }
        return files;
    }
}
