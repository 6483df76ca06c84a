package dev.exifq.webhooks;

import dev.exifq.accounts.SigningKeys;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

/**
 * Encrypts webhook secrets at rest with AES-256-GCM under the server key ({@link WebhookSettings#secretKey()}, or
 * one derived from the session signing key as {@code accounts.CsrfTokens} does). The user id is the associated
 * data, so a row copied to another user does not decrypt.
 */
@ApplicationScoped
public class SecretCipher {
    private static final int NONCE_BYTES = 12;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final SecretKeySpec key;
    private final String keyId;

    @Inject
    public SecretCipher(WebhookSettings settings, SigningKeys signingKeys) {
        this(settings.secretKey().filter(s -> !s.isBlank()).map(SecretCipher::configured)
                .orElseGet(() -> derived(signingKeys.privateKey().getEncoded())));
    }

    SecretCipher(byte[] key) {
        this.key = new SecretKeySpec(key, "AES");
        this.keyId = HexFormat.of().formatHex(sha256("exifq webhook key id\n", key), 0, 8);
    }

    private static byte[] configured(String base64) {
        byte[] k;
        try {
            k = Base64.getDecoder().decode(base64.trim());
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("exifq.webhooks.secret-key is not base64");
        }
        if (k.length != 32) {
            throw new IllegalStateException("exifq.webhooks.secret-key must be 32 bytes (openssl rand -base64 32)");
        }
        return k;
    }

    private static byte[] derived(byte[] signingKey) {
        return sha256("exifq webhook secrets v1\n", signingKey);
    }

    /** Names the key, so a row encrypted under another one is recognised rather than failing as garbage. */
    public String keyId() {
        return keyId;
    }

    public byte[] encrypt(long userId, String secret) {
        byte[] nonce = new byte[NONCE_BYTES];
        RANDOM.nextBytes(nonce);
        byte[] sealed = run(Cipher.ENCRYPT_MODE, nonce, userId, secret.getBytes(StandardCharsets.UTF_8));
        return ByteBuffer.allocate(nonce.length + sealed.length).put(nonce).put(sealed).array();
    }

    public String decrypt(long userId, byte[] stored) {
        byte[] nonce = java.util.Arrays.copyOf(stored, NONCE_BYTES);
        byte[] sealed = java.util.Arrays.copyOfRange(stored, NONCE_BYTES, stored.length);
        return new String(run(Cipher.DECRYPT_MODE, nonce, userId, sealed), StandardCharsets.UTF_8);
    }

    private byte[] run(int mode, byte[] nonce, long userId, byte[] input) {
        try {
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(mode, key, new GCMParameterSpec(128, nonce));
            c.updateAAD(ByteBuffer.allocate(Long.BYTES).putLong(userId).array());
            return c.doFinal(input);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("webhook secret " + (mode == Cipher.ENCRYPT_MODE ? "encryption" : "decryption")
                    + " failed", e);
        }
    }

    private static byte[] sha256(String label, byte[] data) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(label.getBytes(StandardCharsets.US_ASCII));
            return sha.digest(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
