package dev.exifq.platform;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An exifq killed outright leaves its PostgreSQL running on the data dir: the next start stops that orphan and
 * starts (it used to fail on the orphan's postmaster.pid until someone stopped it by hand), while a start beside a
 * live exifq on the same data dir is refused. The first exifq is a real JVM, killed with SIGKILL.
 */
class EmbeddedPostgresOrphanTest {

    @Test
    void startAfterKillMinus9StopsTheOrphanAndRefusesWhileTheOwnerLives(@TempDir Path root) throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        Process child = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                EmbeddedPostgresChild.class.getName(), root.toString()).redirectErrorStream(true).start();
        try {
            awaitReady(child);

            IllegalStateException refused = assertThrows(IllegalStateException.class,
                    () -> EmbeddedPostgresServer.launch(root, false));
            assertTrue(refused.getMessage().contains("another exifq process is using the data dir"), refused.getMessage());

            long postmaster = Long.parseLong(Files.readAllLines(root.resolve("postgres/postmaster.pid")).get(0).trim());
            child.destroyForcibly(); // SIGKILL: no shutdown hook stops its PostgreSQL
            assertTrue(child.waitFor(30, TimeUnit.SECONDS));
            assertTrue(ProcessHandle.of(postmaster).map(ProcessHandle::isAlive).orElse(false),
                    "the killed JVM's PostgreSQL is still running");

            EmbeddedPostgresServer server = EmbeddedPostgresServer.launch(root, false);
            try {
                assertFalse(ProcessHandle.of(postmaster).map(ProcessHandle::isAlive).orElse(false),
                        "the orphan was stopped");
                String password = Files.readString(root.resolve("postgres-password")).trim();
                try (Connection c = DriverManager.getConnection(server.jdbcUrl(), "postgres", password);
                     Statement s = c.createStatement(); ResultSet rs = s.executeQuery("select 1")) {
                    assertTrue(rs.next());
                    assertEquals(1, rs.getInt(1));
                }
            } finally {
                server.stop();
            }
        } finally {
            child.destroyForcibly();
        }
    }

    private static void awaitReady(Process child) throws Exception {
        BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
        StringBuilder seen = new StringBuilder();
        long deadline = System.currentTimeMillis() + 90_000;
        String line;
        while ((line = out.readLine()) != null) {
            seen.append(line).append('\n');
            if (line.startsWith("READY ")) {
                Thread drain = new Thread(() -> { // keep its pipe from filling up
                    try {
                        while (out.readLine() != null) { /* discard */ }
                    } catch (java.io.IOException ignored) {
                        // it was killed
                    }
                });
                drain.setDaemon(true);
                drain.start();
                return;
            }
            assertTrue(System.currentTimeMillis() < deadline, "the child did not start in time:\n" + seen);
        }
        throw new AssertionError("the child ended before starting its PostgreSQL:\n" + seen);
    }
}
