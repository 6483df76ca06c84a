package dev.exifq.idempotency;

import dev.exifq.platform.ApiException;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * {@code Idempotency-Key}: the first request with a key records which resource it made; a repeat with the same
 * request within 24 hours gets that resource, one with a different request a 409.
 */
@ApplicationScoped
public class IdempotencyKeys {
    public static final String HEADER = "Idempotency-Key";
    private static final Pattern KEY = Pattern.compile("[A-Za-z0-9._:-]{1,255}");
    // any fixed number: the advisory lock that lets one replica at a time prune
    private static final long PRUNE_LOCK = 0x1d3e_7a11_0017L;

    private final EntityManager em;

    public IdempotencyKeys(EntityManager em) {
        this.em = em;
    }

    /** A key and the digest of the request it came with. */
    public record Request(String scope, String key, String hash) {}

    /** The header's key, or null without one; 400 invalid_idempotency_key when it is not 1-255 of [A-Za-z0-9._:-]. */
    public static String validate(String header) {
        if (header == null) {
            return null;
        }
        if (!KEY.matcher(header).matches()) {
            throw ApiException.badRequest("invalid_idempotency_key", "'" + HEADER + "' must be 1 to 255 characters "
                    + "of A-Z, a-z, 0-9, '.', '_', ':' and '-'.");
        }
        return header;
    }

    /** SHA-256 of the parts, each length-prefixed so that no two different lists give the same input. */
    public static String hash(String... parts) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            for (String part : parts) {
                byte[] bytes = (part == null ? "\0null" : part).getBytes(StandardCharsets.UTF_8);
                sha.update((bytes.length + ":").getBytes(StandardCharsets.US_ASCII));
                sha.update(bytes);
            }
            return HexFormat.of().formatHex(sha.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * In the caller's transaction: records that {@code request} makes {@code resourceId}, or answers the resource
     * an earlier request with the key made (409 idempotency_conflict when that request was a different one). A
     * concurrent first request with the key makes this wait for its transaction, then answers its resource.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public Optional<String> claim(long userId, Request request, String resourceId) {
        int inserted = em.createNativeQuery("""
                        insert into idempotency_keys as k (user_id, scope, key, request_hash, resource_id, created_at)
                        values (:user, :scope, :key, :hash, :resource, now())
                        on conflict (user_id, scope, key) do update
                            set request_hash = excluded.request_hash, resource_id = excluded.resource_id,
                                created_at = excluded.created_at
                            where k.created_at < now() - interval '24 hours'""")
                .setParameter("user", userId).setParameter("scope", request.scope())
                .setParameter("key", request.key()).setParameter("hash", request.hash())
                .setParameter("resource", resourceId).executeUpdate();
        if (inserted == 1) {
            return Optional.empty();
        }
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery("""
                        select request_hash, resource_id from idempotency_keys
                        where user_id = :user and scope = :scope and key = :key""")
                .setParameter("user", userId).setParameter("scope", request.scope())
                .setParameter("key", request.key()).getResultList();
        Object[] row = rows.get(0);
        if (!request.hash().equals(row[0].toString().trim())) {
            throw new ApiException(409, "idempotency_conflict", "This " + HEADER + " was used in the last 24 hours "
                    + "with a different request; use a new key for a new request.");
        }
        return Optional.of(row[1].toString().trim());
    }

    /** Forgets the key of a resource that was undone, so that a retry with it makes a new one. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void forget(String scope, String resourceId) {
        em.createNativeQuery("delete from idempotency_keys where scope = :scope and resource_id = :resource")
                .setParameter("scope", scope).setParameter("resource", resourceId).executeUpdate();
    }

    @Scheduled(every = "${exifq.idempotency.prune-every:1h}", delayed = "2m",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void scheduledPrune() {
        prune();
    }

    /** Deletes keys older than 24 hours, on one replica at a time; the number deleted. */
    @Transactional
    public int prune() {
        boolean mine = (Boolean) em.createNativeQuery("select pg_try_advisory_xact_lock(:lock)")
                .setParameter("lock", PRUNE_LOCK).getSingleResult();
        if (!mine) {
            return 0; // another replica is pruning
        }
        return em.createNativeQuery("delete from idempotency_keys where created_at < now() - interval '24 hours'")
                .executeUpdate();
    }
}
