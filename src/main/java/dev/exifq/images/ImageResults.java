package dev.exifq.images;

import dev.exifq.billing.Usage;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import java.util.List;

/** Writes the end of a run, only while the run still holds its claim. */
@ApplicationScoped
public class ImageResults {
    private final EntityManager em;
    private final Usage usage;

    public ImageResults(EntityManager em, Usage usage) {
        this.em = em;
        this.usage = usage;
    }

    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public boolean processed(ImageClaims.Claim claim, ProcessingResult r) {
        return em.createNativeQuery("""
                update images set status = 'processed', final_url = :finalUrl, filename = :filename,
                       blob_key = :blobKey, checksum = :checksum, bytesize = :bytesize, content_type = :contentType,
                       width = :width, height = :height, dhash = :dhash, phash = :phash, metadata = :metadata,
                       camera = :camera, lens = :lens, error = null, error_code = null,
                       claimed_by = null, claim_expires_at = null, completed_at = now(), updated_at = now()
                 where id = :id and claimed_by = :token""")
                .setParameter("finalUrl", r.finalUrl())
                .setParameter("filename", r.filename())
                .setParameter("blobKey", r.blobKey())
                .setParameter("checksum", r.checksum())
                .setParameter("bytesize", r.bytesize())
                .setParameter("contentType", r.contentType())
                .setParameter("width", r.width())
                .setParameter("height", r.height())
                .setParameter("dhash", r.dhash())
                .setParameter("phash", r.phash())
                .setParameter("metadata", r.metadata())
                .setParameter("camera", r.camera())
                .setParameter("lens", r.lens())
                .setParameter("id", claim.imageId())
                .setParameter("token", claim.token())
                .executeUpdate() == 1;
    }

    /** Only processed images count against the daily limit: a failed one gives its unit back, once. */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public boolean failed(ImageClaims.Claim claim, ProcessingFailure failure) {
        boolean written = em.createNativeQuery("""
                update images set status = 'failed', error_code = :code, error = :message,
                       final_url = coalesce(:finalUrl, final_url), checksum = coalesce(:checksum, checksum),
                       bytesize = coalesce(:bytesize, bytesize),
                       claimed_by = null, claim_expires_at = null, completed_at = now(), updated_at = now()
                 where id = :id and claimed_by = :token""")
                .setParameter("code", failure.code())
                .setParameter("message", failure.getMessage())
                .setParameter("finalUrl", failure.finalUrl())
                .setParameter("checksum", failure.checksum())
                .setParameter("bytesize", failure.bytesize())
                .setParameter("id", claim.imageId())
                .setParameter("token", claim.token())
                .executeUpdate() == 1;
        if (written) {
            usage.refund(List.of(claim.imageId()));
        }
        return written;
    }
}
