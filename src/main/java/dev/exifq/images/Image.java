package dev.exifq.images;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;

@Entity
@Table(name = "images")
public class Image extends PanacheEntityBase {
    public static final String QUEUED = "queued";
    public static final String PROCESSING = "processing";
    public static final String PROCESSED = "processed";
    public static final String FAILED = "failed";

    @Id
    public String id;
    @Column(name = "user_id", nullable = false)
    public Long userId;
    @Column(nullable = false)
    public String status;
    @Column(name = "source_url")
    public String sourceUrl;
    @Column(name = "final_url")
    public String finalUrl;
    public String filename;
    @Column(name = "blob_key")
    public String blobKey;
    public String checksum;
    public Long bytesize;
    @Column(name = "content_type")
    public String contentType;
    public Integer width;
    public Integer height;
    public String dhash;
    public String phash;
    public String metadata;
    public String camera;
    public String lens;
    @Column(name = "hash_source")
    public String hashSource;
    @Column(name = "hash_error")
    public String hashError;
    @Column(nullable = false)
    public boolean cached;
    @Column(name = "error_code")
    public String errorCode;
    public String error;
    @Column(nullable = false)
    public int attempts;
    @Column(name = "claimed_by")
    public String claimedBy;
    @Column(name = "claim_expires_at")
    public Instant claimExpiresAt;
    @Column(name = "original_deleted_at")
    public Instant originalDeletedAt;
    /** JSON of a {@link dev.exifq.metadata.EditSpec}: this image is a write (see {@link EditStep}). */
    public String edit;
    /** Where the finished image's JSON is POSTed (dev.exifq.webhooks); not part of the image JSON. */
    @Column(name = "callback_url")
    public String callbackUrl;
    /** The batch this image is an item of (dev.exifq.batches), or null. */
    @Column(name = "batch_id")
    public String batchId;
    @Column(name = "completed_at")
    public Instant completedAt;
    @Column(name = "created_at", nullable = false)
    public Instant createdAt;
    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;

    public boolean isFinished() {
        return PROCESSED.equals(status) || FAILED.equals(status);
    }
}
