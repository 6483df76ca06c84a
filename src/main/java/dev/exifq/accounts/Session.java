package dev.exifq.accounts;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;

/** A signed-in session; its id is the {@code sid} claim of the session's JWT. */
@Entity
@Table(name = "sessions")
public class Session extends PanacheEntityBase {
    @Id
    public String id;

    @Column(name = "user_id", nullable = false)
    public Long userId;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "expires_at", nullable = false)
    public Instant expiresAt;

    @Column(name = "revoked_at")
    public Instant revokedAt;

    public String ip;

    @Column(name = "user_agent")
    public String userAgent;

    static boolean isOpen(Instant revokedAt, Instant expiresAt, Instant now) {
        return revokedAt == null && expiresAt.isAfter(now);
    }
}
