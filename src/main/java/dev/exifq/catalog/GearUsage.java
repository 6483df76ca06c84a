package dev.exifq.catalog;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** How many of a user's processed images were taken with each camera or lens (by catalogue key). */
@ApplicationScoped
public class GearUsage {
    private final EntityManager em;

    public GearUsage(EntityManager em) {
        this.em = em;
    }

    @Transactional
    public Map<String, Long> camerasByKey(long userId, Collection<String> cameraKeys) {
        return count("camera_key", userId, cameraKeys);
    }

    @Transactional
    public Map<String, Long> lensesBySlug(long userId, Collection<String> lensSlugs) {
        return count("lens_slug", userId, lensSlugs);
    }

    private Map<String, Long> count(String column, long userId, Collection<String> keys) {
        Map<String, Long> counts = new HashMap<>();
        if (keys.isEmpty()) {
            return counts;
        }
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery("select " + column + ", count(*) from images where user_id = :u and "
                        + column + " in (:keys) and status = 'processed' group by " + column)
                .setParameter("u", userId).setParameter("keys", keys).getResultList();
        for (Object[] r : rows) {
            counts.put((String) r[0], ((Number) r[1]).longValue());
        }
        return counts;
    }
}
