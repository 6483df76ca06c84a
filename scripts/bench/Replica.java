import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One service JVM: the packaged jar started through scripts/start, on its own public and management ports, its
 * output in {@code <dir>/server.log}. Every pid it starts is appended to {@code pidFile}, so the calling script can
 * kill what is left even when this JVM itself was killed.
 */
final class Replica {
    // a start takes 5-10 s on an idle machine and over 100 s on the shared one under a load of 40
    static final int START_SECONDS = Integer.parseInt(System.getenv().getOrDefault("CLUSTER_START_SECONDS", "400"));
    final String name;
    final String role;
    final int port;
    final int managementPort;
    private final Path project;
    private final Path dir;
    private final Map<String, String> env;
    private final Path pidFile;
    private volatile Process process;
    volatile boolean up;

    Replica(String name, String role, Path project, Path dir, Map<String, String> env, Path pidFile) throws IOException {
        this.name = name;
        this.role = role;
        this.project = project;
        this.dir = dir;
        this.env = env;
        this.pidFile = pidFile;
        this.port = freePort();
        this.managementPort = freePort();
    }

    String base() {
        return "http://127.0.0.1:" + port;
    }

    Path log() {
        return dir.resolve("server.log");
    }

    long pid() {
        return process == null ? -1 : process.pid();
    }

    /** Starts the JVM and waits until it is ready; on a failed start, throws with the end of its log. */
    void start() throws Exception {
        Files.createDirectories(dir);
        ProcessBuilder pb = new ProcessBuilder(project.resolve("scripts/start").toString())
                .directory(project.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log().toFile()));
        pb.environment().putAll(env);
        pb.environment().put("EXIFQ_DATA_DIR", dir.toString());
        pb.environment().put("EXIFQ_ROLE", role);
        pb.environment().put("QUARKUS_HTTP_PORT", String.valueOf(port));
        pb.environment().put("EXIFQ_MANAGEMENT_PORT", String.valueOf(managementPort));
        process = pb.start();
        Files.writeString(pidFile, process.pid() + "\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(START_SECONDS);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " exited at start:\n" + tail());
            }
            try {
                if (LoadSupport.get("http://127.0.0.1:" + managementPort + "/q/health/ready", null).status() == 200) {
                    up = true;
                    return;
                }
            } catch (IOException notYet) {
                // starting
            }
            Thread.sleep(250);
        }
        throw new IllegalStateException(name + " not ready in " + START_SECONDS + " s:\n" + tail());
    }

    /** kill -9: no shutdown hook, no graceful anything. Returns the ExifTool processes it leaves behind. */
    List<ProcessHandle> kill9() throws InterruptedException {
        up = false;
        List<ProcessHandle> children = process.descendants().toList();
        process.destroyForcibly(); // SIGKILL on Linux
        process.waitFor(30, TimeUnit.SECONDS);
        return children;
    }

    /** SIGTERM, then SIGKILL after 20 s, and whatever it started. */
    void stop() {
        up = false;
        Process p = process;
        if (p == null) {
            return;
        }
        List<ProcessHandle> children = p.descendants().toList();
        p.destroy();
        try {
            if (!p.waitFor(20, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                p.waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        children.forEach(ProcessHandle::destroyForcibly);
    }

    String tail() {
        try {
            List<String> lines = Files.readAllLines(log());
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
