package dev.exifq.images;

import dev.exifq.hashing.OrientedHashes;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import org.hibernate.query.TypedParameterValue;
import org.hibernate.type.StandardBasicTypes;
import jakarta.transaction.Transactional;

import java.util.List;
import java.util.Optional;

/** Extraction results by (checksum, extractor version): re-submitting the same bytes skips ExifTool. */
@ApplicationScoped
public class ExtractionCache {
    private final EntityManager em;

    public ExtractionCache(EntityManager em) {
        this.em = em;
    }

    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public Optional<Extraction> find(String checksum, String extractorVersion) {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery("""
                select content_type, width, height, metadata, dhash, phash, hash_source, hash_error, oriented
                  from extraction_cache where checksum = :c and extractor_version = :v""")
                .setParameter("c", checksum).setParameter("v", extractorVersion).getResultList();
        if (rows.isEmpty()) {
            return Optional.empty();
        }
        Object[] r = rows.get(0);
        return Optional.of(new Extraction((String) r[0], (Integer) r[1], (Integer) r[2], (String) r[3],
                trim(r[4]), trim(r[5]), OrientedHashes.fromBytes((byte[]) r[8]), (String) r[6], (String) r[7], true, true));
    }

    /** In the transaction that writes the image's result: one commit for both. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void store(String checksum, String extractorVersion, Extraction e) {
        em.createNativeQuery("""
                insert into extraction_cache (checksum, extractor_version, content_type, width, height, metadata,
                                              dhash, phash, hash_source, hash_error, oriented)
                values (:c, :v, :ct, :w, :h, :m, :dh, :ph, :hs, :he, :o)
                on conflict do nothing""")
                .setParameter("c", checksum).setParameter("v", extractorVersion)
                .setParameter("ct", e.contentType()).setParameter("w", e.width()).setParameter("h", e.height())
                .setParameter("m", e.metadata()).setParameter("dh", e.dhash()).setParameter("ph", e.phash())
                .setParameter("hs", e.hashSource()).setParameter("he", e.hashError())
                .setParameter("o", new TypedParameterValue<>(StandardBasicTypes.BINARY, e.oriented() == null ? null : e.oriented().toBytes()))
                .executeUpdate();
    }

    private static String trim(Object o) {
        return o == null ? null : o.toString().trim();
    }
}
