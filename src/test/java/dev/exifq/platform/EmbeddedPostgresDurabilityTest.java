package dev.exifq.platform;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A 202 is a promise that the image was stored: the embedded PostgreSQL must keep every commit it acknowledged
 * when it dies outright the moment after, and must flush to disk at all (zonky's defaults, made for throwaway test
 * databases, do neither: {@code -F} and {@code synchronous_commit=off}).
 */
class EmbeddedPostgresDurabilityTest {
    private static final int CRASHES = 5;

    @Test
    void everyAcknowledgedCommitOutlivesPostgresKilledRightAfterIt(@TempDir Path root) throws Exception {
        EmbeddedPostgresServer server = EmbeddedPostgresServer.launch(root, false);
        try {
            try (Connection c = connect(server); Statement s = c.createStatement()) {
                assertEquals("on", show(s, "fsync"));
                assertEquals("on", show(s, "synchronous_commit"));
                s.execute("create table accepted (n int primary key)");
            }
            for (int n = 1; n <= CRASHES; n++) {
                try (Connection c = connect(server); Statement s = c.createStatement()) {
                    s.execute("insert into accepted values (" + n + ")"); // auto-commit: acknowledged on return
                    killEveryPostgresProcess(root); // before the WAL writer's next round (every 200 ms)
                }
                server.stop(); // releases the data dir's lock; zonky logs that pg_ctl found nothing to stop
                server = EmbeddedPostgresServer.launch(root, false); // crash recovery from the WAL
                try (Connection c = connect(server); Statement s = c.createStatement();
                     ResultSet rs = s.executeQuery("select count(*), max(n) from accepted")) {
                    assertTrue(rs.next());
                    assertEquals(n, rs.getInt(1), "commits kept after " + n + " crashes");
                    assertEquals(n, rs.getInt(2));
                }
            }
        } finally {
            server.stop();
        }
    }

    private static void killEveryPostgresProcess(Path root) throws Exception {
        long pid = Long.parseLong(Files.readAllLines(root.resolve("postgres/postmaster.pid")).get(0).trim());
        ProcessHandle postmaster = ProcessHandle.of(pid).orElseThrow();
        List<ProcessHandle> children = postmaster.children().toList(); // the WAL writer among them
        children.forEach(ProcessHandle::destroyForcibly);
        postmaster.destroyForcibly();
        postmaster.onExit().get(30, TimeUnit.SECONDS);
        for (ProcessHandle child : children) {
            child.onExit().get(30, TimeUnit.SECONDS);
        }
    }

    private static String show(Statement s, String setting) throws SQLException {
        try (ResultSet rs = s.executeQuery("show " + setting)) {
            assertTrue(rs.next());
            return rs.getString(1);
        }
    }

    private static Connection connect(EmbeddedPostgresServer server) throws SQLException {
        return DriverManager.getConnection(server.jdbcUrl(), "postgres", server.password());
    }
}
