package dev.exifq.accounts;

import jakarta.enterprise.context.ApplicationScoped;
import org.bouncycastle.crypto.generators.OpenBSDBCrypt;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;

/** bcrypt via Bouncy Castle; cost 12 unless {@code exifq.auth.bcrypt-cost} says otherwise (tests use 4). */
@ApplicationScoped
public class PasswordHasher {
    /** bcrypt only reads the first 72 bytes of a password; longer ones are refused rather than cut. */
    public static final int MAX_PASSWORD_BYTES = 72;

    private final SecureRandom random = new SecureRandom();
    private final int cost;
    /** Checked against when the email is unknown, so a sign-in takes as long whether or not the user exists. */
    private final String dummyHash;

    public PasswordHasher(AuthSettings settings) {
        this.cost = settings.bcryptCost();
        if (cost < 4 || cost > 31) {
            throw new IllegalStateException("exifq.auth.bcrypt-cost must be within 4..31");
        }
        this.dummyHash = hash("not a real password, only burns the same time");
    }

    public String hash(String password) {
        byte[] salt = new byte[16];
        random.nextBytes(salt);
        return OpenBSDBCrypt.generate("2b", password.toCharArray(), salt, cost);
    }

    public boolean matches(String password, String hash) {
        try {
            return hash != null && OpenBSDBCrypt.checkPassword(hash, password.toCharArray());
        } catch (RuntimeException e) { // malformed hash, or a password bcrypt refuses (over 72 bytes)
            return false;
        }
    }

    /** Spends the time of one check without a hash to check against. */
    public void burn(String password) {
        matches(password, dummyHash);
    }

    public static boolean tooLong(String password) {
        return password.getBytes(StandardCharsets.UTF_8).length > MAX_PASSWORD_BYTES;
    }
}
