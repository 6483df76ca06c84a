package dev.exifq.metadata;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;
import java.util.OptionalInt;

@ConfigMapping(prefix = "exifq.exiftool")
public interface ExifToolConfig {
    /** The `exiftool` script (scripts/install-exiftool prints it). */
    String path();

    /** Long-lived processes; default: one per core. */
    OptionalInt poolSize();

    /**
     * Files before a process is replaced. A fresh process spends about 1.3 s of CPU compiling the format modules
     * the corpus needs (its first pass over the corpus costs 3.2 s, later ones 1.8 s), so retiring every 500 files
     * cost about 2.6 ms per file; its memory stayed at 78 MB over 2,000 files, so 5000 keeps the safety net at a
     * tenth of the cost.
     */
    @WithDefault("5000")
    int maxTasksPerProcess();

    @WithDefault("20s")
    Duration taskTimeout();

    @WithDefault("1")
    int retries();

    @WithDefault("60s")
    Duration acquireTimeout();

    /**
     * STAY_OPEN (default): long-lived `-stay_open` processes, ~4x faster. Tag values are exactly ExifTool's, but
     * the key order inside `Composite` can depend on the files a process read before. FORK_PER_TASK reproduces
     * a one-off `exiftool` run byte for byte, at the cost of a fork and module compilation per file.
     */
    @WithDefault("STAY_OPEN")
    ExifToolPool.Mode mode();

    /** Older versions are refused at start-up (13.54 and earlier lack security fixes; references use 13.59). */
    @WithDefault("13.59")
    String minVersion();
}
