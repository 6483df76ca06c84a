package dev.exifq.accounts;

import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.transaction.Transactional;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.time.Instant;
import java.util.Optional;

/**
 * Creates the admin named in config (EXIFQ_BOOTSTRAP_ADMIN_*) so a fresh server is usable, idempotently:
 * restarting with the same values changes nothing; a new API key value is added, never duplicated.
 */
@ApplicationScoped
public class BootstrapAdmin {
    private static final Logger LOG = Logger.getLogger(BootstrapAdmin.class);

    private final Optional<String> email;
    private final Optional<String> password;
    private final Optional<String> apiKey;
    private final PasswordHasher passwords;

    public BootstrapAdmin(@ConfigProperty(name = "exifq.bootstrap-admin.email") Optional<String> email,
                          @ConfigProperty(name = "exifq.bootstrap-admin.password") Optional<String> password,
                          @ConfigProperty(name = "exifq.bootstrap-admin.api-key") Optional<String> apiKey,
                          PasswordHasher passwords) {
        this.email = email;
        this.password = password;
        this.apiKey = apiKey;
        this.passwords = passwords;
    }

    @Transactional
    void onStart(@Observes StartupEvent event) {
        if (email.isEmpty()) {
            return;
        }
        User admin = User.findByEmail(email.get()).orElseGet(() -> {
            User u = new User();
            u.email = User.normaliseEmail(email.get());
            u.name = "Admin";
            u.role = User.ROLE_ADMIN;
            u.plan = "pro";
            u.persist();
            LOG.infof("Created bootstrap admin %s", u.email);
            return u;
        });
        admin.role = User.ROLE_ADMIN;
        if (password.isPresent() && (admin.passwordHash == null || !passwords.matches(password.get(), admin.passwordHash))) {
            admin.passwordHash = passwords.hash(password.get());
        }
        if (apiKey.isPresent()) {
            String hash = ApiKeys.hash(apiKey.get());
            ApiKey existing = ApiKey.find("keyHash", hash).firstResult();
            if (existing == null) {
                ApiKey key = new ApiKey();
                key.id = dev.exifq.platform.Ulid.next();
                key.userId = admin.id;
                key.name = "bootstrap";
                key.keyHash = hash;
                key.last4 = ApiKeys.last4(apiKey.get());
                key.createdAt = Instant.now();
                key.persist();
            } else if (!existing.userId.equals(admin.id)) {
                LOG.warn("The bootstrap API key belongs to another user; left as it is");
            }
        }
    }
}
