package dev.exifq.accounts;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;
import java.util.Optional;

@ConfigMapping(prefix = "exifq.auth")
public interface AuthSettings {
    /** How long a session (its JWT and its cookie) lasts after sign-in. */
    @WithDefault("7d")
    Duration sessionTtl();

    /** bcrypt work factor for new password hashes (4..31); existing hashes keep their own. */
    @WithDefault("12")
    int bcryptCost();

    /** Live (neither revoked nor expired) API keys one user may have. */
    @WithDefault("5")
    int maxApiKeys();

    Cookie cookie();

    Jwt jwt();

    Throttle throttle();

    SignUps signUps();

    interface Cookie {
        @WithDefault("exifq_session")
        String name();

        /** Send the cookie over HTTPS only; switch off for plain-HTTP development. */
        @WithDefault("true")
        boolean secure();
    }

    interface Jwt {
        /**
         * PEM (PKCS#8 "PRIVATE KEY", EC P-256 for ES256 or RSA >= 2048 bits for RS256), or the path of a PEM
         * file. Every replica of a cluster needs the same pair. Unset: a P-256 pair is generated into
         * {@code exifq.data-dir} on first start.
         */
        Optional<String> privateKey();

        /** PEM ("PUBLIC KEY", X.509 SubjectPublicKeyInfo) matching the private key, or the path of one. */
        Optional<String> publicKey();

        /**
         * Public keys of earlier signing pairs (PEM text holding one or more "PUBLIC KEY" blocks, or the path of
         * such a file): sessions signed with them stay valid until they expire, so the pair can be rotated
         * without signing everybody out. Drop a key once the session TTL has passed since the rotation.
         */
        Optional<String> previousPublicKeys();

        @WithDefault("exifq")
        String issuer();
    }

    interface Throttle {
        /** Failed sign-ins per email, and per client address, within the window before 429. */
        @WithDefault("10")
        int maxFailures();

        @WithDefault("1m")
        Duration window();
    }

    interface SignUps {
        /** Sign-up attempts (successful or not) from one client address within the window before 429. */
        @WithDefault("10")
        int maxPerAddress();

        @WithDefault("1h")
        Duration window();
    }
}
