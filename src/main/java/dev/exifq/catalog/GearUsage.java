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

    /** Every camera the user's processed images used, with how many ({@code make_slug/slug} → count). */
    @Transactional
    public Map<String, Long> allCameras(long userId) {
        return countAll("camera_key", userId);
    }

    /** Every lens the user's processed images used, with how many (slug → count). */
    @Transactional
    public Map<String, Long> allLenses(long userId) {
        return countAll("lens_slug", userId);
    }

    private Map<String, Long> countAll(String column, long userId) {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery("select " + column + ", count(*) from images where user_id = :u and "
                        + column + " is not null and status = 'processed' group by " + column)
                .setParameter("u", userId).getResultList();
        return toMap(rows);
    }

    private Map<String, Long> count(String column, long userId, Collection<String> keys) {
        if (keys.isEmpty()) {
            return new HashMap<>();
        }
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery("select " + column + ", count(*) from images where user_id = :u and "
                        + column + " in (:keys) and status = 'processed' group by " + column)
                .setParameter("u", userId).setParameter("keys", keys).getResultList();
        return toMap(rows);
    }

    private static Map<String, Long> toMap(List<Object[]> rows) {
        Map<String, Long> counts = new HashMap<>();
        for (Object[] r : rows) {
            counts.put((String) r[0], ((Number) r[1]).longValue());
        }
        return counts;
    }
}
