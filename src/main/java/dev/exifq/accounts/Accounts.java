package dev.exifq.accounts;

import dev.exifq.platform.ApiException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/** Sign-up and password checks. Emails are stored trimmed and lower-cased, and are unique. */
@ApplicationScoped
public class Accounts {
    public static final int MIN_PASSWORD = 8;
    private static final int MAX_EMAIL = 254;
    private static final int MAX_NAME = 100;
    private static final Pattern EMAIL = Pattern.compile("[^@\\s]+@[^@\\s.]+(\\.[^@\\s.]+)+");

    private final PasswordHasher passwords;
    private final EntityManager em;

    public Accounts(PasswordHasher passwords, EntityManager em) {
        this.passwords = passwords;
        this.em = em;
    }

    /**
     * @throws ApiException 400 for a bad email, name or password, 409 email_taken when the email has an account
     */
    public User signUp(String email, String password, String name) {
        String normalised = User.normaliseEmail(email);
        if (normalised == null || normalised.isEmpty()) {
            throw ApiException.badRequest("missing_email", "Give an 'email'.");
        }
        if (normalised.length() > MAX_EMAIL || !EMAIL.matcher(normalised).matches()) {
            throw ApiException.badRequest("invalid_email", "That is not an email address.");
        }
        if (password == null || password.codePointCount(0, password.length()) < MIN_PASSWORD) {
            throw ApiException.badRequest("weak_password", "The password must have at least " + MIN_PASSWORD + " characters.");
        }
        if (PasswordHasher.tooLong(password)) {
            throw ApiException.badRequest("password_too_long",
                    "The password must be at most " + PasswordHasher.MAX_PASSWORD_BYTES + " bytes (UTF-8).");
        }
        String cleanName = name == null || name.isBlank() ? null : name.strip();
        if (cleanName != null && cleanName.length() > MAX_NAME) {
            throw ApiException.badRequest("invalid_name", "The name must be at most " + MAX_NAME + " characters.");
        }
        String hash = passwords.hash(password); // slow: outside the transaction
        return insert(normalised, hash, cleanName)
                .orElseThrow(() -> new ApiException(409, "email_taken", "An account with this email already exists."));
    }

    @Transactional
    Optional<User> insert(String email, String passwordHash, String name) {
        // on conflict: two concurrent sign-ups of one email get one account and one 409, never a 500
        @SuppressWarnings("unchecked")
        List<Object> ids = em.createNativeQuery("""
                insert into users (email, name, password_hash, role, plan, created_at)
                values (:email, :name, :hash, 'user', 'free', now())
                on conflict (email) do nothing
                returning id""")
                .setParameter("email", email)
                .setParameter("name", name)
                .setParameter("hash", passwordHash)
                .getResultList();
        return ids.isEmpty() ? Optional.empty() : Optional.of(User.findById(((Number) ids.get(0)).longValue()));
    }

    /** The user when the password is theirs; as slow for unknown emails as for known ones. */
    public Optional<User> authenticate(String email, String password) {
        Optional<User> user = User.findByEmail(email);
        if (user.isEmpty() || user.get().passwordHash == null) {
            passwords.burn(password);
            return Optional.empty();
        }
        return passwords.matches(password, user.get().passwordHash) ? user : Optional.empty();
    }
}
