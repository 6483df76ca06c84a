package dev.exifq.images;

import dev.exifq.billing.Usage;
import dev.exifq.hashing.OrientedHashes;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.persistence.EntityManager;
import org.hibernate.query.TypedParameterValue;
import org.hibernate.type.StandardBasicTypes;
import jakarta.transaction.Transactional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.time.Duration;

import java.util.List;

/** Writes the end of a run, only while the run still holds its claim. */
@ApplicationScoped
public class ImageResults {
    private final EntityManager em;
    private final Usage usage;
    private final ExtractionCache cache;
    private final Event<ImageFinished> finished;
    /** How long a processed file can be downloaded. */
    private final Duration retention;

    public ImageResults(EntityManager em, Usage usage, ExtractionCache cache, Event<ImageFinished> finished,
                        @ConfigProperty(name = "exifq.writes.retention", defaultValue = "24h") Duration retention) {
        this.em = em;
        this.finished = finished;
        this.retention = retention;
        this.usage = usage;
        this.cache = cache;
    }

    /**
     * {@code cached} is reported only when the caller already has an image of these bytes: a result first
     * extracted for another account is reused silently, so the flag cannot confirm that someone else has the file.
     */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public boolean processed(ImageClaims.Claim claim, ProcessingResult r) {
        Extraction x = r.extraction();
        Object[] ended = ended(em.createNativeQuery("""
                update images set status = 'processed', final_url = :finalUrl, filename = :filename,
                       blob_key = :blobKey, checksum = :checksum, bytesize = :bytesize, content_type = :contentType,
                       width = :width, height = :height, dhash = :dhash, phash = :phash, metadata = :metadata,
                       camera = :camera, lens = :lens, camera_key = :cameraKey, lens_slug = :lensSlug, hash_source = :hashSource, hash_error = :hashError,
                       cached = :reused and exists (select 1 from images own where own.user_id = images.user_id
                                and own.checksum = :checksum and own.id <> images.id and own.status = 'processed'),
                       error = null, error_code = null,
                       claimed_by = null, claim_expires_at = null, completed_at = now(), updated_at = now()
                 where id = :id and claimed_by = :token
                returning user_id, batch_id, callback_url""")
                .setParameter("finalUrl", r.finalUrl())
                .setParameter("filename", r.filename())
                .setParameter("blobKey", r.blobKey())
                .setParameter("checksum", r.checksum())
                .setParameter("bytesize", r.bytesize())
                .setParameter("contentType", x.contentType())
                .setParameter("width", x.width())
                .setParameter("height", x.height())
                .setParameter("dhash", x.dhash())
                .setParameter("phash", x.phash())
                .setParameter("metadata", x.metadata())
                .setParameter("camera", r.gear().cameraJson())
                .setParameter("lens", r.gear().lensJson())
                .setParameter("cameraKey", r.gear().cameraKey())
                .setParameter("lensSlug", r.gear().lensSlug())
                .setParameter("hashSource", x.hashSource())
                .setParameter("hashError", x.hashError())
                .setParameter("reused", x.cached())
                .setParameter("id", claim.imageId())
                .setParameter("token", claim.token()));
        boolean written = ended != null;
        // only with the result: an image deleted during its run must not leave its metadata in the cache
        if (written && !x.cached() && x.cacheable()) {
            // a write's extraction describes the processed file, so it is that file's bytes that it is kept for
            cache.store(r.processed() == null ? r.checksum() : r.processed().checksum(), r.extractorVersion(), x);
        }
        if (written && x.dhash() != null && x.phash() != null) {
            indexHashes(claim.imageId(), x.phash(), x.dhash(), x.oriented());
        }
        if (written && r.processed() != null) {
            recordProcessedFile(claim.imageId(), r.processed());
        }
        if (written) {
            announce(claim.imageId(), "processed", ended);
        }
        return written;
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

    /** {@code oriented} (the eight orientations' hashes, not indexed) may be null: orientation=any then finds the
     * image only as it is, docs/duplicates.md. */
    private void indexHashes(String imageId, String phashHex, String dhashHex, OrientedHashes oriented) {
        long p = dev.exifq.hashing.Hamming.parse(phashHex);
        long d = dev.exifq.hashing.Hamming.parse(dhashHex);
        em.createNativeQuery("""
                insert into image_hashes (image_id, user_id, phash, dhash, p0, p1, p2, p3, d0, d1, d2, d3, oriented)
                select id, user_id, :p, :d, :p0, :p1, :p2, :p3, :d0, :d1, :d2, :d3, :o from images where id = :id
                on conflict (image_id) do update set phash = excluded.phash, dhash = excluded.dhash,
                    oriented = excluded.oriented,
                    p0 = excluded.p0, p1 = excluded.p1, p2 = excluded.p2, p3 = excluded.p3,
                    d0 = excluded.d0, d1 = excluded.d1, d2 = excluded.d2, d3 = excluded.d3""")
                .setParameter("p", p).setParameter("d", d)
                .setParameter("p0", HashBands.band(p, 0)).setParameter("p1", HashBands.band(p, 1))
                .setParameter("p2", HashBands.band(p, 2)).setParameter("p3", HashBands.band(p, 3))
                .setParameter("d0", HashBands.band(d, 0)).setParameter("d1", HashBands.band(d, 1))
                .setParameter("d2", HashBands.band(d, 2)).setParameter("d3", HashBands.band(d, 3))
                .setParameter("o", new TypedParameterValue<>(StandardBasicTypes.BINARY, oriented == null ? null : oriented.toBytes()))
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
        announce(claim.imageId(), "failed", ended);
        return true;
    }

    /** The row an end was written to (user_id, batch_id, callback_url), or null when the run had lost its claim. */
    private static Object[] ended(jakarta.persistence.Query update) {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = update.getResultList();
        return rows.isEmpty() ? null : rows.get(0);
    }

    private void announce(String imageId, String status, Object[] row) {
        finished.fire(new ImageFinished(imageId, ((Number) row[0]).longValue(), status,
                row[1] == null ? null : row[1].toString(), (String) row[2]));
    }
}
