package dev.exifq.images;

import dev.exifq.cluster.Node;
import dev.exifq.jobs.JobRunrSetup;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;
import org.jobrunr.scheduling.BackgroundJobRequest;
import org.jobrunr.scheduling.JobBuilder;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The JobRunr jobs of surplus images, those accepted while this node had no room (IngestService#start). They wait
 * here for a local worker too, but any replica's JobRunr may take them; one {@link ProcessImagesJob} per group of
 * up to {@code exifq.ingest.surplus-group} costs a job row, its state changes and its JSON per group where a job
 * per image cost about as much of the server's CPU as the image's hashing (README, Benchmarks). A group stays open
 * for {@code exifq.ingest.surplus-window} after its first image; a local worker that claims one of its images
 * first takes it out of the group before the job is written, or deletes the written job, if still waiting, once
 * it holds all of them. The rows name their group's job ({@code images.job_id}), so StaleImageSweeper leaves them to
 * it while it waits. A node killed while a group is open leaves its rows queued, untouched: the sweeper's backstop,
 * as for images in the local queue. An {@code api} replica runs nothing itself, its clients may wait synchronously,
 * and the workers' autoscaler counts enqueued jobs as images (k8s/base/worker-scaledobject.yaml), so it gives each
 * image a job of its own at once.
 */
@ApplicationScoped
public class SurplusJobs {
    private static final Logger LOG = Logger.getLogger(SurplusJobs.class);

    private final DataSource db;
    private final JobRunrSetup jobs;
    private final int groupSize;
    private final long windowMillis;
    private final boolean grouped;
    private final Counter surplusImages;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "surplus-jobs");
        t.setDaemon(true);
        return t;
    });
    /** The group new surplus images join; guarded by this. */
    private Group open;
    /**
     * Written groups with images still waiting in this node's overflow, by their job's first image (an image is in
     * one group only), so that this node's run of the job can tell the overflow which images it took.
     */
    private final Map<String, Group> byFirstImage = new ConcurrentHashMap<>();
    /** Set by {@link #flush}: the node is draining, so a surplus image's job is written at once. */
    private volatile boolean draining;

    public SurplusJobs(DataSource db, JobRunrSetup jobs, IngestSettings settings, Node node, MeterRegistry meters) {
        this.surplusImages = Counter.builder("exifq.ingest.surplus")
                .description("images accepted while this node had no room: queued here and given a (group's) job")
                .register(meters);
        this.db = db;
        this.jobs = jobs;
        this.groupSize = Math.max(1, settings.surplusGroup());
        this.windowMillis = settings.surplusWindow().toMillis();
        this.grouped = node.role().runsJobs();
    }

    /** Surplus images that share a job; its state is guarded by the {@link SurplusJobs} that made it. */
    public static final class Group {
        final UUID jobId = UUID.randomUUID();
        final List<String> ids = new ArrayList<>();
        boolean closed;
        /** Images in the written job not yet claimed here; at 0 the job has nothing left this node would not do. */
        int unclaimed = -1;
        /** Its images waiting in this node's overflow (LocalWorkers) or its local queue, not yet run or skipped. */
        int waitingHere;
        /** Images this node's run of the group's job has taken or found finished: the overflow skips them. */
        final Set<String> takenByJob = ConcurrentHashMap.newKeySet();
        /**
         * Images a local worker claimed from the overflow (added under the lock, so that those claimed before the
         * job was written are left out of it consistently): this node's run of the job skips them.
         */
        final Set<String> claimedLocally = ConcurrentHashMap.newKeySet();
        String firstInJob;
    }

    /**
     * Gives a surplus image a job: it joins the open group (written when full or when its window ends).
     *
     * @return its group, to tell {@link #claimedHere} when a local worker claims it; null when the image got a job
     *         of its own (an {@code api} replica)
     */
    public Group add(String imageId) {
        surplusImages.increment();
        if (!grouped) {
            IngestService.enqueue(imageId);
            return null;
        }
        Group group;
        boolean full;
        synchronized (this) {
            if (open == null) {
                Group opened = new Group();
                open = opened;
                if (!draining) {
                    try {
                        timer.schedule(() -> close(opened), windowMillis, TimeUnit.MILLISECONDS);
                    } catch (RejectedExecutionException stopped) {
                        draining = true; // the timer stopped with the application
                    }
                }
            }
            group = open;
            group.ids.add(imageId);
            full = draining || group.ids.size() >= groupSize;
        }
        if (full) {
            close(group);
        }
        return group;
    }

    /** A local worker holds the claim of {@code imageId}, one of {@code group}'s: no job needs to run it. */
    public void claimedHere(Group group, String imageId) {
        boolean nothingLeft;
        synchronized (this) {
            group.claimedLocally.add(imageId);
            if (!group.closed) {
                return; // left out of the job when it is written
            }
            nothingLeft = group.unclaimed > 0 && --group.unclaimed == 0;
        }
        if (nothingLeft) {
            try {
                jobs.dropIfWaiting(group.jobId);
            } catch (RuntimeException e) {
                LOG.debugf(e, "Could not delete group job %s; it will run as a no-op", group.jobId);
            }
        }
    }

    /**
     * Writes the open group's job now, and from now on each surplus image's at once (a node shutting down): their
     * images must not wait for the sweeper, nor for a window while the other replicas could take them.
     */
    public void flush() {
        draining = true;
        Group group;
        synchronized (this) {
            group = open;
        }
        if (group != null) {
            close(group);
        }
    }

    /** Groups surplus images again after {@link #flush} (a test that lets a drained node be "another replica"). */
    void resume() {
        draining = false;
    }

    private void close(Group group) {
        List<String> ids;
        synchronized (this) {
            if (group.closed) {
                return;
            }
            group.closed = true;
            if (open == group) {
                open = null;
            }
            ids = group.ids.stream().filter(id -> !group.claimedLocally.contains(id)).toList();
            group.unclaimed = ids.size();
            if (!ids.isEmpty() && group.waitingHere > 0) {
                group.firstInJob = ids.get(0);
                byFirstImage.put(group.firstInJob, group);
            }
        }
        if (ids.isEmpty()) {
            return;
        }
        try {
            link(ids, group.jobId); // before the job: the sweeper never sees the job's images without it
            BackgroundJobRequest.create(JobBuilder.aJob()
                    .withId(group.jobId)
                    .withName("process " + ids.size() + " images from " + ids.get(0))
                    .withAmountOfRetries(3)
                    .withJobRequest(new ProcessImagesJob(ids)));
        } catch (RuntimeException e) {
            LOG.errorf(e, "Could not enqueue the job of %d images from %s; the sweeper will", ids.size(), ids.get(0));
        }
    }

    private void link(List<String> ids, UUID jobId) {
        try (Connection c = db.getConnection();
             PreparedStatement ps = c.prepareStatement("update images set job_id = ? where id = any(?)")) {
            ps.setObject(1, jobId);
            ps.setArray(2, c.createArrayOf("text", ids.toArray()));
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("Could not link images to job " + jobId, e);
        }
    }

    /** One of the group's images now waits in this node's overflow. */
    void queuedHere(Group group) {
        synchronized (this) {
            group.waitingHere++;
        }
    }

    /** A local worker is done with one of the group's images from the overflow (ran it, or left it to the job). */
    void leftOverflow(Group group) {
        synchronized (this) {
            if (--group.waitingHere == 0 && group.firstInJob != null) {
                byFirstImage.remove(group.firstInJob, group);
            }
        }
    }

    /** The overflow was dropped (the node is draining). */
    void forgetOverflow() {
        byFirstImage.clear();
    }

    /** The group written here whose job lists {@code jobImageIds}, while some of its images wait here; else null. */
    Group waitingHere(List<String> jobImageIds) {
        return jobImageIds.isEmpty() ? null : byFirstImage.get(jobImageIds.get(0));
    }

    /**
     * Of {@code ids}, those still unfinished (queued, or processing under any run's claim), in one statement; a
     * group's job runs only these.
     */
    List<String> unfinished(List<String> ids) {
        try (Connection c = db.getConnection();
             PreparedStatement ps = c.prepareStatement(
                     "select id from images where id = any(?) and status in ('queued', 'processing') order by id")) {
            ps.setArray(1, c.createArrayOf("text", ids.toArray()));
            List<String> left = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    left.add(rs.getString(1));
                }
            }
            return left;
        } catch (SQLException e) {
            throw new IllegalStateException("Could not read the state of " + ids.size() + " images", e);
        }
    }

    void stop(@Observes ShutdownEvent event) {
        timer.shutdownNow();
    }
}
