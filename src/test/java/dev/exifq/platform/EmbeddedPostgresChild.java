package dev.exifq.platform;

import java.nio.file.Path;

/** An exifq stand-in for EmbeddedPostgresOrphanTest: starts the embedded PostgreSQL on a data dir and waits to be killed. */
public final class EmbeddedPostgresChild {
    private EmbeddedPostgresChild() {}

    public static void main(String[] args) throws Exception {
        EmbeddedPostgresServer server = EmbeddedPostgresServer.launch(Path.of(args[0]), false);
        System.out.println("READY " + server.jdbcUrl());
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }
}
