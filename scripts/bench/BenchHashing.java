import dev.exifq.hashing.ImageHashes;
import dev.exifq.hashing.ImageHasher;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Hashing CPU per file over the corpus in this JVM, with whichever native decoders it loads (the system property
 * exifq.hashing.native-library picks one, or none): warm-up passes, then the median pass of the measured ones
 * (this thread's CPU time). Prints one line "ms_per_file <median> signature <hash of all results>" for
 * scripts/bench-hashing, which runs it once per variant and compares them; the signature differs when any hash,
 * size or refusal does. Usage: BenchHashing <corpus dir> <skip regex or ""> <warm-up passes> <passes>
 */
public class BenchHashing {
    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        String skip = args[1];
        int warmups = Integer.parseInt(args[2]);
        int passes = Integer.parseInt(args[3]);
        List<Path> files = new ArrayList<>();
        try (var s = Files.list(dir)) {
            s.filter(Files::isRegularFile)
                    .filter(p -> skip.isEmpty() || !p.getFileName().toString().matches(skip))
                    .sorted().forEach(files::add);
        }
        List<byte[]> data = new ArrayList<>();
        for (Path p : files) {
            data.add(Files.readAllBytes(p));
        }
        ImageHasher hasher = new ImageHasher(200_000_000L);
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        StringBuilder signature = new StringBuilder();
        double[] perFile = new double[passes];
        for (int pass = 0; pass < warmups + passes; pass++) {
            long t0 = threads.getCurrentThreadCpuTime();
            for (byte[] d : data) {
                String result;
                try {
                    ImageHashes h = hasher.hash(d);
                    result = h.dhash() + h.phash() + h.width() + "x" + h.height();
                } catch (Exception e) {
                    result = e.getClass().getSimpleName();
                }
                if (pass == 0) {
                    signature.append(result).append('\n');
                }
            }
            if (pass >= warmups) {
                perFile[pass - warmups] = (threads.getCurrentThreadCpuTime() - t0) / 1e6 / data.size();
            }
        }
        Arrays.sort(perFile);
        System.out.printf(Locale.ROOT, "ms_per_file %.3f signature %08x files %d%n", perFile[passes / 2],
                signature.toString().hashCode(), data.size());
    }
}
