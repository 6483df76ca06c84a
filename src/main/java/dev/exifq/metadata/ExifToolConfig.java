package dev.exifq.metadata;

import io.quarkus.runtime.configuration.MemorySize;
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
     * the corpus needs (its first pass over the corpus costs 3.2 s, later ones 1.8 s): retiring every 500 files cost
     * about 2.6 ms per file, every 5,000 about 0.26 ms. One process's memory stayed at 76.5 MB from its 2,000th to
     * its 20,000th corpus file, so the count is a last resort; {@link #maxResidentMemory()} retires a process that
     * did grow.
     */
    @WithDefault("20000")
    int maxTasksPerProcess();

    /**
     * A process whose resident memory is above this (looked at every 256 tasks) is replaced: Perl keeps memory a
     * large file made it allocate. 0: never looked at.
     */
    @WithDefault("512M")
    MemorySize maxResidentMemory();

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
