package dev.exifq.webhooks;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;

/** Each user's webhook signing secret: created on first use, rotated on request, stored encrypted. */
@ApplicationScoped
public class WebhookSecrets {
    static final String PREFIX = "whsec_";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final EntityManager em;
    private final SecretCipher cipher;

    public WebhookSecrets(EntityManager em, SecretCipher cipher) {
        this.em = em;
        this.cipher = cipher;
    }

    /** The user's secret, created now if there is none; concurrent first reads agree on one. */
    @Transactional
    public String current(long userId) {
        em.createNativeQuery("""
                insert into webhook_secrets (user_id, key_id, ciphertext) values (:user, :keyId, :ciphertext)
                on conflict (user_id) do nothing""")
                .setParameter("user", userId).setParameter("keyId", cipher.keyId())
                .setParameter("ciphertext", cipher.encrypt(userId, generate()))
                .executeUpdate();
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery(
                        "select key_id, ciphertext from webhook_secrets where user_id = :user")
                .setParameter("user", userId).getResultList();
        Object[] row = rows.get(0);
        if (!cipher.keyId().equals(row[0])) {
            throw new UnreadableSecretException();
        }
        return cipher.decrypt(userId, (byte[]) row[1]);
    }

    /** A new secret for the user; deliveries signed from now on use it. */
    @Transactional
    public String rotate(long userId) {
        String secret = generate();
        em.createNativeQuery("""
                insert into webhook_secrets (user_id, key_id, ciphertext) values (:user, :keyId, :ciphertext)
                on conflict (user_id) do update set key_id = excluded.key_id, ciphertext = excluded.ciphertext,
                    created_at = now()""")
                .setParameter("user", userId).setParameter("keyId", cipher.keyId())
                .setParameter("ciphertext", cipher.encrypt(userId, secret))
                .executeUpdate();
        return secret;
    }

    private static String generate() {
        byte[] b = new byte[32];
        RANDOM.nextBytes(b);
        return PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    /** The stored secret was encrypted under another server key (it was rotated or changed): rotate to recover. */
    public static final class UnreadableSecretException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        UnreadableSecretException() {
            super("The webhook secret was encrypted under another server key");
        }
    }
}
