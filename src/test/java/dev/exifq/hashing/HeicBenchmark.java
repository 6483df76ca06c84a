package dev.exifq.hashing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;

import org.junit.jupiter.api.Test;

import dev.exifq.testing.Corpus.HeicRow;

/**
 * Hashing time per HEIC/HEIF of heic-hashes.csv (scripts/bench-heic, which also times libheif's own heif-dec to
 * PNG on the same files). Not a unit test: it runs only with -Dheic.bench=true. Per file: one warm-up, then the
 * median over the runs of the wall time and of the process CPU time (libheif decodes grid tiles on a thread of
 * its own, so the calling thread's CPU time would miss them). Writes "file wall_ms cpu_ms" lines to
 * target/heic-bench-java.txt.
 */
class HeicBenchmark {
    @Test
    void hashEveryReferenceHeic() throws Exception {
        assumeTrue(Boolean.getBoolean("heic.bench"), "benchmark: run scripts/bench-heic");
        int runs = Integer.getInteger("heic.bench.runs", 5);
        com.sun.management.OperatingSystemMXBean os =
                (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        ImageHasher hasher = new ImageHasher(200_000_000L);
        StringBuilder out = new StringBuilder();
        for (HeicRow row : dev.exifq.testing.Corpus.heicHashes()) {
            Path file = Corpus.IMAGES.resolve(row.file());
            ImageHashes first = hasher.hash(file);
            assertEquals(row.dhash(), first.dhash(), row.file()); // timing a wrong answer would mean nothing
            long[] wall = new long[runs];
            long[] cpu = new long[runs];
            for (int i = 0; i < runs; i++) {
                long c0 = os.getProcessCpuTime();
                long t0 = System.nanoTime();
                hasher.hash(file);
                wall[i] = System.nanoTime() - t0;
                cpu[i] = os.getProcessCpuTime() - c0;
            }
            out.append(String.format(Locale.ROOT, "%s %.0f %.0f%n", row.file(), median(wall) / 1e6, median(cpu) / 1e6));
        }
        Files.writeString(Path.of("target/heic-bench-java.txt"), out, StandardCharsets.UTF_8);
    }

    private static double median(long[] values) {
        long[] v = values.clone();
        Arrays.sort(v);
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2.0;
    }
}
