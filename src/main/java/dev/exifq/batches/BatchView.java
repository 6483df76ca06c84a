package dev.exifq.batches;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dev.exifq.platform.ApiTime;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.time.Instant;

/** The batch JSON of GET /v1/batches/{id}, also the body of its callback. */
@JsonPropertyOrder({"id", "status", "total", "queued", "processing", "processed", "failed", "created_at", "completed_at"})
@Schema(name = "Batch", description = "A batch of URLs and how far it is")
public record BatchView(
        @Schema(description = "26-character lowercase ULID", example = "01hq3v6k2m8x9y7z5w4t3s2r1q") String id,
        @Schema(enumeration = {"queued", "running", "completed"}) String status,
        @Schema(description = "URLs in the batch") int total,
        @Schema(description = "Items not started yet") int queued,
        int processing,
        int processed,
        int failed,
        @Schema(example = "2024-02-23 15:15:29 UTC") String created_at,
        @Schema(description = "When the last item finished; null until then", example = "2024-02-23 15:17:02 UTC")
        String completed_at) {

    static BatchView of(String id, String status, int total, int processing, int processed, int failed,
                        Instant createdAt, Instant completedAt) {
        return new BatchView(id, status, total, total - processing - processed - failed, processing, processed,
                failed, ApiTime.format(createdAt), ApiTime.format(completedAt));
    }

    /** The 202 answer of POST /v1/batches. */
    @JsonPropertyOrder({"id", "status", "total"})
    @Schema(name = "BatchAccepted")
    public record Accepted(String id, @Schema(enumeration = {"queued", "running", "completed"}) String status,
                           int total) {
    }
}
