import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Samples one service JVM and its ExifTool children once a second from /proc: peak resident memory (the JVM alone
 * and with its children) and CPU (mean over the busy samples, and the highest 10 s average). The figures the k8s
 * requests and limits are set from (README "Cluster test and soak"). Follows a restarted JVM: the pid is asked
 * for at every sample, and CPU is counted per pid as the difference between samples.
 */
final class ResourceSampler {
    static final long TICK_MS = 10; // USER_HZ is 100 on Linux
    static final int WINDOW = 10;

    private final String role;
    private final LongSupplier pid;
    private final Map<Long, Long> lastTicks = new HashMap<>();
    private final ArrayDeque<Long> window = new ArrayDeque<>();
    private volatile boolean running = true;
    private Thread thread;
    private long peakJvmKb;
    private long peakTotalKb;
    private int peakExiftools;
    private long windowTicks;
    private double peakWindowCores;
    private long busyTicks;
    private int busySamples;

    ResourceSampler(String role, LongSupplier pid) {
        this.role = role;
        this.pid = pid;
    }

    ResourceSampler start() {
        thread = new Thread(() -> {
            while (running) {
                sample();
                try {
                    Thread.sleep(1000);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "sampler-" + role);
        thread.setDaemon(true);
        thread.start();
        return this;
    }

    synchronized void sample() {
        long jvm = pid.getAsLong();
        if (jvm <= 0 || ProcessHandle.of(jvm).isEmpty()) {
            return;
        }
        long jvmKb = rssKb(jvm);
        long totalKb = jvmKb;
        long ticks = delta(jvm, CpuSplit.stat(jvm)[0]);
        int exiftools = 0;
        for (ProcessHandle d : ProcessHandle.of(jvm).map(h -> h.descendants().toList()).orElse(List.of())) {
            if (d.info().commandLine().orElse("").contains("postgres")) {
                continue; // the soak's embedded database is not the service's own footprint in k8s
            }
            exiftools++;
            totalKb += rssKb(d.pid());
            ticks += delta(d.pid(), CpuSplit.stat(d.pid())[0]);
        }
        peakJvmKb = Math.max(peakJvmKb, jvmKb);
        peakTotalKb = Math.max(peakTotalKb, totalKb);
        peakExiftools = Math.max(peakExiftools, exiftools);
        window.addLast(ticks);
        windowTicks += ticks;
        if (window.size() > WINDOW) {
            windowTicks -= window.removeFirst();
        }
        if (window.size() == WINDOW) {
            peakWindowCores = Math.max(peakWindowCores, windowTicks * TICK_MS / (WINDOW * 1000.0));
        }
        if (ticks * TICK_MS >= 100) { // busy: over a tenth of a core in this second (idle JVMs use ~0.01)
            busyTicks += ticks;
            busySamples++;
        }
    }

    /** Ticks used by this pid since its last sample; 0 at its first (what it used before was its start). */
    private long delta(long p, long now) {
        Long before = lastTicks.put(p, now);
        return before == null ? 0 : Math.max(0, now - before);
    }

    static long rssKb(long p) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + p + "/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("\\D", ""));
                }
            }
        } catch (IOException | RuntimeException gone) {
            // exited between the listing and the read
        }
        return 0;
    }

    String stop() {
        running = false;
        if (thread != null) {
            thread.interrupt();
        }
        return toString();
    }

    @Override
    public synchronized String toString() {
        return String.format("%-6s peak RSS %4d MB JVM, %4d MB with its ExifTools (up to %d); CPU %.2f cores mean "
                        + "while busy (%d s), %.2f peak 10 s", role, peakJvmKb / 1024, peakTotalKb / 1024, peakExiftools,
                busySamples == 0 ? 0 : busyTicks * TICK_MS / (busySamples * 1000.0), busySamples, peakWindowCores);
    }
}
