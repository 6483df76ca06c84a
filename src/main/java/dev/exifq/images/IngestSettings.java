package dev.exifq.images;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

@ConfigMapping(prefix = "exifq.ingest")
public interface IngestSettings {
    /** Largest accepted file, uploaded or fetched (25 MiB). */
    @WithDefault("26214400")
    long maxBytes();

    /** Private address ranges opened to URL fetching (tests, private deployments). */
    Optional<List<String>> allowedCidrs();

    @WithDefault("5s")
    Duration connectTimeout();

    @WithDefault("15s")
    Duration readTimeout();

    @WithDefault("60s")
    Duration fetchTimeout();

    /**
     * URL downloads running at once on this node, on the fetch stage's own threads (not the workers'): a slow host
     * costs one of these and a connection.
     */
    @WithDefault("64")
    int fetchConcurrency();

    /** URL downloads running at once per host name (as written in the URL); more wait on the fetch stage. */
    @WithDefault("4")
    int fetchPerHost();

    /**
     * Downloads waiting on the fetch stage (each holding its image's claim, its lease renewed) beyond which a run
     * waits for its own download on its thread: bounds how many claims one node holds ahead of its downloads, and
     * leaves the rest of a large backlog unclaimed, for other replicas' JobRunr.
     */
    @WithDefault("512")
    int fetchBacklog();

    /** Threads that start work at once on the node that accepted it. */
    @WithDefault("8")
    int localWorkers();

    /**
     * Accepted images queued for a local thread without a JobRunr job (ids only; about ten seconds of work for a
     * 2-core node at its ingest rate); beyond this, images also wait on the node in arrival order, but their job is
     * enqueued at once so any replica's JobRunr can take them. Raised from 64 when images started here stopped
     * getting a job each: a burst of a few hundred uploads then stays off JobRunr (whose job rows and state changes
     * cost about as much CPU as the image's own hashing), and a node that dies leaves it to StaleImageSweeper.
     */
    @WithDefault("512")
    int localQueue();

    /**
     * Images accepted without room on this node (beyond the local queue, or fed by a batch) that share one JobRunr
     * job: a job row, its state changes and its JSON per group instead of per image. Images accepted within
     * {@link #surplusWindow()} of the first of a group join it; a full group is written at once.
     */
    @WithDefault("32")
    int surplusGroup();

    /**
     * How long a group of surplus images stays open before its job is written; well under JobRunr's poll interval,
     * so other replicas see the work about as soon as they would have with a job per image.
     */
    @WithDefault("500ms")
    Duration surplusWindow();

    /** How long a claim protects a run before another may take over. */
    @WithDefault("60s")
    Duration lease();

    /**
     * How long an image a node took to run itself (with no JobRunr job) may stay queued and untouched before
     * StaleImageSweeper hands it to JobRunr: the node died before starting it. A started run is protected by its
     * lease instead.
     */
    @WithDefault("60s")
    Duration backstopDelay();

    /** Runs of one image (first run plus retries) before it is failed. */
    @WithDefault("4")
    int maxAttempts();
}
