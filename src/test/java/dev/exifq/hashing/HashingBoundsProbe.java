package dev.exifq.hashing;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Run in a JVM of its own by {@link HashingBoundsTest}: hashes one file N times at once with the service's
 * defaults (two decode slots) and prints the process's peak resident set, which the test JVM cannot measure for
 * itself once other tests have grown its heap.
 */
public final class HashingBoundsProbe {
    private HashingBoundsProbe() {}

    public static void main(String[] args) throws Exception {
        Path file = Path.of(args[0]);
        int copies = Integer.parseInt(args[1]);
        Duration deadline = Duration.ofSeconds(Long.parseLong(args[2]));
        ImageHasher hasher = new ImageHasher(150_000_000L, 2);
        ExecutorService pool = Executors.newFixedThreadPool(copies);
        List<Future<String>> outcomes = new ArrayList<>();
        for (int i = 0; i < copies; i++) {
            outcomes.add(pool.submit(() -> {
                try {
                    hasher.hash(file, HashingDeadline.after(deadline));
                    return "hashed";
                } catch (HashingTimeoutException e) {
                    return "timeout";
                }
            }));
        }
        for (Future<String> f : outcomes) {
            System.out.println("outcome " + f.get());
        }
        pool.shutdown();
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmHWM:")) {
                System.out.println("peak-rss-kb " + line.replaceAll("\\D", ""));
            }
        }
    }
}
