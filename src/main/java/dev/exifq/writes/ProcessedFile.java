package dev.exifq.writes;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;
import java.util.Optional;

/** A processed file (the result of a write), downloadable until expiresAt; rows are written by the images run. */
@Entity
@Table(name = "processed_files")
public class ProcessedFile extends PanacheEntityBase {
    @Id
    @Column(name = "image_id")
    public String imageId;
    @Column(name = "user_id", nullable = false)
    public Long userId;
    public String tool;
    @Column(name = "file_name")
    public String fileName;
    @Column(name = "blob_key")
    public String blobKey;
    @Column(name = "content_type")
    public String contentType;
    public long bytesize;
    public String checksum;
    @Column(name = "created_at")
    public Instant createdAt;
    @Column(name = "expires_at")
    public Instant expiresAt;
    public boolean deleted;
    @Column(name = "soft_deleted_at")
    public Instant softDeletedAt;

    public static Optional<ProcessedFile> findOwned(String imageId, long userId) {
        return find("imageId = ?1 and userId = ?2", imageId, userId).firstResultOptional();
    }

    public String status(Instant now) {
        if (deleted) return "deleted";
        return now.isBefore(expiresAt) ? "available" : "expired";
    }
}
