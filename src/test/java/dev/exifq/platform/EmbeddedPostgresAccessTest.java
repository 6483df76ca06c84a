package dev.exifq.platform;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The embedded PostgreSQL lets in only who can read the data dir, also after upgrading an old, trusting data dir. */
class EmbeddedPostgresAccessTest {

    @Test
    void freshDataDirRefusesConnectionsWithoutThePasswordAndKeepsInitdbQuietUnlessItFails(@TempDir Path root) throws Exception {
        EmbeddedPostgresServer server = EmbeddedPostgresServer.launch(root, false);
        try {
            Path passwordFile = root.resolve("postgres-password");
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(passwordFile)));
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(root.resolve("postgres.log"))));
            assertRefusedWithoutPassword(server.jdbcUrl());
            assertConnects(server.jdbcUrl(), Files.readString(passwordFile).trim());
            assertPrivate(server.jdbcUrl(), server.password(), root);
            // initdb's thirty lines went to the log, not to the console
            assertTrue(Files.readString(root.resolve("postgres.log")).contains("creating subdirectories ... ok"));
        } finally {
            server.stop();
        }
        // a second start of the same data dir keeps its password
        EmbeddedPostgresServer again = EmbeddedPostgresServer.launch(root, false);
        try {
            assertEquals(server.password(), again.password());
            assertRefusedWithoutPassword(again.jdbcUrl());
            assertConnects(again.jdbcUrl(), again.password());
        } finally {
            again.stop();
        }
        // a start that fails shows PostgreSQL's own output
        Files.writeString(root.resolve("postgres/postgresql.conf"), "\nshared_buffers = banana\n", StandardOpenOption.APPEND);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> EmbeddedPostgresServer.launch(root, false));
        assertTrue(e.getMessage().contains("banana"), e.getMessage());
    }

    @Test
    void trustingDataDirFromBeforeIsUpgradedInPlace(@TempDir Path root) throws Exception {
        // what earlier versions made: zonky's defaults, trust for every local connection, no password file
        try (EmbeddedPostgres old = EmbeddedPostgres.builder().setDataDirectory(root.resolve("postgres"))
                .setCleanDataDirectory(false).start();
             Connection c = old.getPostgresDatabase().getConnection()) {
            c.createStatement().execute("CREATE TABLE kept (v text); INSERT INTO kept VALUES ('still here')");
        }
        assertTrue(Files.readString(root.resolve("postgres/pg_hba.conf")).contains("trust"));

        EmbeddedPostgresServer server = EmbeddedPostgresServer.launch(root, false);
        try {
            assertRefusedWithoutPassword(server.jdbcUrl());
            assertPrivate(server.jdbcUrl(), server.password(), root);
            try (Connection c = DriverManager.getConnection(server.jdbcUrl(), props(server.password()));
                 ResultSet rs = c.createStatement().executeQuery("SELECT v FROM kept")) {
                assertTrue(rs.next());
                assertEquals("still here", rs.getString(1));
            }
            assertEquals(server.password(), Files.readString(root.resolve("postgres-password")).trim());
        } finally {
            server.stop();
        }
    }

    private static void assertRefusedWithoutPassword(String url) {
        SQLException noPassword = assertThrows(SQLException.class, () -> DriverManager.getConnection(url, props(null)));
        assertTrue(noPassword.getMessage().contains("password"), noPassword.getMessage());
        SQLException wrong = assertThrows(SQLException.class, () -> DriverManager.getConnection(url, props("postgres")));
        assertEquals("28P01", wrong.getSQLState(), wrong.getMessage());
    }

    private static void assertConnects(String url, String password) throws SQLException {
        try (Connection c = DriverManager.getConnection(url, props(password))) {
            assertTrue(c.isValid(5));
        }
    }

    /** scram for every rule, loopback only, no Unix socket anywhere. */
    private static void assertPrivate(String url, String password, Path root) throws Exception {
        try (Connection c = DriverManager.getConnection(url, props(password));
             ResultSet rs = c.createStatement().executeQuery(
                     "SELECT (SELECT array_agg(DISTINCT auth_method) FROM pg_hba_file_rules)::text,"
                             + " current_setting('listen_addresses'), current_setting('unix_socket_directories'),"
                             + " (SELECT rolpassword LIKE 'SCRAM-SHA-256$%' FROM pg_authid WHERE rolname = 'postgres')")) {
            assertTrue(rs.next());
            assertEquals("{scram-sha-256}", rs.getString(1));
            assertEquals("localhost", rs.getString(2));
            assertEquals("", rs.getString(3));
            assertTrue(rs.getBoolean(4));
        }
        String hba = Files.readString(root.resolve("postgres/pg_hba.conf"));
        assertFalse(hba.contains("trust"), hba);
        assertFalse(hba.lines().anyMatch(l -> l.startsWith("local")), hba);
    }

    private static Properties props(String password) {
        Properties p = new Properties();
        p.setProperty("user", "postgres");
        if (password != null) {
            p.setProperty("password", password);
        }
        return p;
    }
}
