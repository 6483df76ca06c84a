package dev.exifq.images;

import dev.exifq.billing.Usage;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.persistence.EntityManager;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.transaction.Transactional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Duration;

import java.util.List;

/** Writes the end of a run, only while the run still holds its claim. */
@ApplicationScoped
public class ImageResults {
    private final EntityManager em;
    private final Usage usage;
    private final DataSource db;
    private final Event<ImageFinished> finished;
    /** How long a processed file can be downloaded. */
    private final Duration retention;

    public ImageResults(EntityManager em, DataSource db, Usage usage, Event<ImageFinished> finished,
                        @ConfigProperty(name = "exifq.writes.retention", defaultValue = "24h") Duration retention) {
        this.em = em;
        this.finished = finished;
        this.retention = retention;
        this.usage = usage;
        this.db = db;
    }

    /**
     * {@code cached} is reported only when the caller already has an image of these bytes: a result first
     * extracted for another account is reused silently, so the flag cannot confirm that someone else has the file.
     * <p>
     * The row, its extraction-cache entry and its hash index are one statement. Most images have no batch, no
     * callback and no processed file, so nothing else is written with them: that statement runs alone in
     * autocommit (plain JDBC, no ORM session or JTA transaction: README, Benchmarks). The others get a transaction
     * around it, for their processed file and the observers of {@link ImageFinished} that write rows.
     */
    public boolean processed(ImageClaims.Claim claim, ProcessingResult r) {
        Image image = claim.image();
        if (r.processed() == null && image.batchId == null && image.callbackUrl == null) {
            return announced(claim.imageId(), "processed", writeProcessed(claim, r));
        }
        return QuarkusTransaction.requiringNew().call(() -> {
            Object[] ended = writeProcessed(claim, r);
            if (ended != null && r.processed() != null) {
                recordProcessedFile(claim.imageId(), r.processed());
            }
            return announced(claim.imageId(), "processed", ended);
        });
    }

    /** user_id, batch_id, callback_url of the row written, or null when the run had lost its claim. */
    private Object[] writeProcessed(ImageClaims.Claim claim, ProcessingResult r) {
        Extraction x = r.extraction();
        // only with the result: an image deleted during its run must not leave its metadata in the cache; a
        // write's extraction describes the processed file, so it is that file's bytes that it is kept for
        boolean store = !x.cached() && x.cacheable();
        String cacheKey = r.processed() == null ? r.checksum() : r.processed().checksum();
        boolean index = x.dhash() != null && x.phash() != null;
        long p = index ? dev.exifq.hashing.Hamming.parse(x.phash()) : 0;
        long d = index ? dev.exifq.hashing.Hamming.parse(x.dhash()) : 0;
        byte[] oriented = x.oriented() == null ? null : x.oriented().toBytes();
        try (Connection c = db.getConnection();
             PreparedStatement ps = c.prepareStatement("""
                     with done as (
                       update images set status = 'processed', final_url = ?, filename = ?, blob_key = ?, checksum = ?,
                              bytesize = ?, content_type = ?, width = ?, height = ?, dhash = ?, phash = ?, metadata = ?,
                              camera = ?, lens = ?, camera_key = ?, lens_slug = ?, hash_source = ?, hash_error = ?,
                              cached = ? and exists (select 1 from images own where own.user_id = images.user_id
                                       and own.checksum = ? and own.id <> images.id and own.status = 'processed'),
                              error = null, error_code = null,
                              claimed_by = null, claim_expires_at = null, completed_at = now(), updated_at = now()
                        where id = ? and claimed_by = ?
                       returning id, user_id, batch_id, callback_url, content_type, width, height, metadata, dhash,
                                 phash, hash_source, hash_error),
                     cached as (
                       insert into extraction_cache (checksum, extractor_version, content_type, width, height, metadata,
                                                     dhash, phash, hash_source, hash_error, oriented)
                       select ?, ?, content_type, width, height, metadata, dhash, phash, hash_source, hash_error, ?
                         from done where ?
                       on conflict do nothing),
                     indexed as (
                       insert into image_hashes (image_id, user_id, phash, dhash, p0, p1, p2, p3, d0, d1, d2, d3, oriented)
                       select id, user_id, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ? from done where ?
                       on conflict (image_id) do update set phash = excluded.phash, dhash = excluded.dhash,
                           oriented = excluded.oriented,
                           p0 = excluded.p0, p1 = excluded.p1, p2 = excluded.p2, p3 = excluded.p3,
                           d0 = excluded.d0, d1 = excluded.d1, d2 = excluded.d2, d3 = excluded.d3)
                     select user_id, batch_id, callback_url from done""")) {
            int i = 0;
            ps.setString(++i, r.finalUrl());
            ps.setString(++i, r.filename());
            ps.setString(++i, r.blobKey());
            ps.setString(++i, r.checksum());
            ps.setLong(++i, r.bytesize());
            ps.setString(++i, x.contentType());
            ps.setObject(++i, x.width(), Types.INTEGER);
            ps.setObject(++i, x.height(), Types.INTEGER);
            ps.setString(++i, x.dhash());
            ps.setString(++i, x.phash());
            ps.setString(++i, x.metadata());
            ps.setString(++i, r.gear().cameraJson());
            ps.setString(++i, r.gear().lensJson());
            ps.setString(++i, r.gear().cameraKey());
            ps.setString(++i, r.gear().lensSlug());
            ps.setString(++i, x.hashSource());
            ps.setString(++i, x.hashError());
            ps.setBoolean(++i, x.cached());
            ps.setString(++i, r.checksum());
            ps.setString(++i, claim.imageId());
            ps.setString(++i, claim.token());
            ps.setString(++i, cacheKey);
            ps.setString(++i, r.extractorVersion());
            ps.setBytes(++i, oriented);
            ps.setBoolean(++i, store);
            ps.setLong(++i, p);
            ps.setLong(++i, d);
            for (int band = 0; band < HashBands.BANDS; band++) {
                ps.setInt(++i, HashBands.band(p, band));
            }
            for (int band = 0; band < HashBands.BANDS; band++) {
                ps.setInt(++i, HashBands.band(d, band));
            }
            ps.setBytes(++i, oriented);
            ps.setBoolean(++i, index);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? new Object[] {rs.getLong(1), rs.getString(2), rs.getString(3)} : null;
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Could not write the result of image " + claim.imageId(), e);
        }
    }

    private void recordProcessedFile(String imageId, EditStep.ProcessedFile p) {
        em.createNativeQuery("""
                insert into processed_files (image_id, user_id, tool, file_name, blob_key, content_type, bytesize,
                                             checksum, created_at, expires_at)
                select id, user_id, :tool, :fileName, :blobKey, :contentType, :bytesize, :checksum, now(),
                       now() + make_interval(secs => :retention)
                  from images where id = :id
                on conflict (image_id) do nothing""")
                .setParameter("tool", p.tool())
                .setParameter("fileName", p.fileName() == null ? "image" : p.fileName())
                .setParameter("blobKey", p.blobKey())
                .setParameter("contentType", p.contentType())
                .setParameter("bytesize", p.bytesize())
                .setParameter("checksum", p.checksum())
                .setParameter("retention", (double) retention.toSeconds())
                .setParameter("id", imageId)
                .executeUpdate();
    }

    /** Only processed images count against the daily limit: a failed one gives its unit back, once. */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public boolean failed(ImageClaims.Claim claim, ProcessingFailure failure) {
        Object[] ended = ended(em.createNativeQuery("""
                update images set status = 'failed', error_code = :code, error = :message,
                       final_url = coalesce(:finalUrl, final_url), checksum = coalesce(:checksum, checksum),
                       bytesize = coalesce(:bytesize, bytesize),
                       claimed_by = null, claim_expires_at = null, completed_at = now(), updated_at = now()
                 where id = :id and claimed_by = :token
                returning user_id, batch_id, callback_url""")
                .setParameter("code", failure.code())
                .setParameter("message", failure.getMessage())
                .setParameter("finalUrl", failure.finalUrl())
                .setParameter("checksum", failure.checksum())
                .setParameter("bytesize", failure.bytesize())
                .setParameter("id", claim.imageId())
                .setParameter("token", claim.token()));
        if (ended == null) {
            return false;
        }
        usage.refund(List.of(claim.imageId()));
        return announced(claim.imageId(), "failed", ended);
    }

    /** The row an end was written to (user_id, batch_id, callback_url), or null when the run had lost its claim. */
    private static Object[] ended(jakarta.persistence.Query update) {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = update.getResultList();
        return rows.isEmpty() ? null : rows.get(0);
    }

    /** Fires {@link ImageFinished} for the row an end was written to; false (and nothing fired) without one. */
    private boolean announced(String imageId, String status, Object[] row) {
        if (row == null) {
            return false;
        }
        finished.fire(new ImageFinished(imageId, ((Number) row[0]).longValue(), status,
                row[1] == null ? null : row[1].toString(), (String) row[2]));
        return true;
    }
}
