package dev.exifq.platform;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;

/**
 * Who may connect to the embedded PostgreSQL: only someone who can read the data dir. The superuser's password
 * is generated on first start and kept in {@code <data-dir>/postgres-password} (0600); every connection, on
 * loopback TCP only (there is no Unix socket), must pass scram-sha-256.
 */
final class EmbeddedPostgresAccess {
    static final String HBA = """
            # Written by exifq at every start: only loopback TCP, always with the password (see postgres-password).
            host    all             all             127.0.0.1/32            scram-sha-256
            host    all             all             ::1/128                 scram-sha-256
            """;
    private static final String ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

    private final Path passwordFile;

    EmbeddedPostgresAccess(Path dataDir) {
        this.passwordFile = dataDir.resolve("postgres-password");
    }

    Path passwordFile() {
        return passwordFile;
    }

    boolean hasPassword() {
        return Files.isRegularFile(passwordFile);
    }

    String password() {
        try {
            return Files.readString(passwordFile).trim();
        } catch (IOException e) {
            throw new UncheckedIOException("Could not read " + passwordFile, e);
        }
    }

    /** A new random password (alphanumeric, so it can stand in SQL and initdb's --pwfile as it is). */
    static String newPassword() {
        SecureRandom random = new SecureRandom();
        StringBuilder sb = new StringBuilder(32);
        for (int i = 0; i < 32; i++) {
            sb.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
        }
        return sb.toString();
    }

    void keepPassword(String password) {
        writePrivately(passwordFile, password + "\n");
    }

    static void writeHba(Path pgData) {
        writePrivately(pgData.resolve("pg_hba.conf"), HBA);
    }

    /** Written whole under a temporary name, readable by the owner only from the start, then moved in place. */
    static void writePrivately(Path target, String content) {
        try {
            Path tmp = target.resolveSibling(target.getFileName() + ".tmp");
            Files.deleteIfExists(tmp);
            try {
                Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            } catch (UnsupportedOperationException notPosix) {
                Files.createFile(tmp);
            }
            Files.writeString(tmp, content);
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not write " + target, e);
        }
    }
}
