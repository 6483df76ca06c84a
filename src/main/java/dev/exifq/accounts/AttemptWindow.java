package dev.exifq.accounts;

import jakarta.persistence.EntityManager;

import java.time.Duration;

/**
 * The sliding window both throttles keep in {@code sign_in_attempts}: one row per counted attempt, keyed by a
 * subject ({@code email:…}, {@code ip:…}, {@code sign-up:…}). Call inside a transaction: the advisory lock taken
 * per subject lasts until it ends, so concurrent attempts on one subject are counted one by one.
 */
public final class AttemptWindow {
    private AttemptWindow() {}

    /**
     * Locks the subject, then: 0 if fewer than {@code max} attempts fall in the window, else the seconds until
     * the oldest of them leaves it (at least 1).
     */
    public static long lockAndCheck(EntityManager em, String subject, Duration window, int max) {
        em.createNativeQuery("select count(*) from (select pg_advisory_xact_lock(hashtextextended(:s, 0))) l")
                .setParameter("s", subject).getSingleResult();
        Object[] row = (Object[]) em.createNativeQuery("""
                select count(*), coalesce(ceil(extract(epoch from
                           min(attempt_at) + make_interval(secs => :w) - clock_timestamp())), 0)
                  from sign_in_attempts
                 where subject = :s and attempt_at > clock_timestamp() - make_interval(secs => :w)""")
                .setParameter("s", subject)
                .setParameter("w", window.toMillis() / 1000.0)
                .getSingleResult();
        return ((Number) row[0]).intValue() >= max ? Math.max(1, ((Number) row[1]).longValue()) : 0;
    }

    /** Counts one attempt for the subject; returns its row id. */
    public static long record(EntityManager em, String subject) {
        return ((Number) em.createNativeQuery(
                        "insert into sign_in_attempts (subject, attempt_at) values (:s, clock_timestamp()) returning id")
                .setParameter("s", subject).getSingleResult()).longValue();
    }
}
