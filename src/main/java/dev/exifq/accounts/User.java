package dev.exifq.accounts;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;
import java.util.Locale;
import java.util.Optional;

@Entity
@Table(name = "users")
public class User extends PanacheEntityBase {
    public static final String ROLE_USER = "user";
    public static final String ROLE_ADMIN = "admin";

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(nullable = false, unique = true)
    public String email;

    public String name;

    @Column(name = "password_hash")
    public String passwordHash;

    @Column(nullable = false)
    public String role = ROLE_USER;

    @Column(nullable = false)
    public String plan = "free";

    @Column(name = "created_at", nullable = false)
    public Instant createdAt = Instant.now();

    public boolean isAdmin() {
        return ROLE_ADMIN.equals(role);
    }

    public static String normaliseEmail(String email) {
        return email == null ? null : email.trim().toLowerCase(Locale.ROOT);
    }

    public static Optional<User> findByEmail(String email) {
        return find("email", normaliseEmail(email)).firstResultOptional();
    }
}
