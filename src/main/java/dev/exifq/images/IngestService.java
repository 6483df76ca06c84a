package dev.exifq.images;

import dev.exifq.billing.Usage;
import dev.exifq.fetch.FetchException;
import dev.exifq.idempotency.IdempotencyKeys;
import dev.exifq.fetch.Filenames;
import dev.exifq.fetch.UrlFetcher;
import dev.exifq.metadata.EditSpec;
import dev.exifq.platform.ApiException;
import dev.exifq.platform.Ulid;
import dev.exifq.storage.BlobStore;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;
import org.jobrunr.scheduling.BackgroundJobRequest;
import org.jobrunr.scheduling.JobBuilder;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Accepts an image: reserves a unit of the user's daily limit and writes the row, stores the upload, enqueues
 * the job, starts it locally if it can. A refused reservation (429) leaves nothing behind; a failure to store
 * the upload removes the row and gives the unit back.
 */
@ApplicationScoped
public class IngestService {
    private static final Logger LOG = Logger.getLogger(IngestService.class);
    private static final int MAX_URL_LENGTH = 4096;
    private static final String SCOPE = "images";

    private final BlobStore blobs;
    private final LocalWorkers localWorkers;
    private final ImageCompletion completion;
    private final IngestSettings settings;
    private final Usage usage;
    private final Duration syncTimeout;
    private final EditStep editStep;
    private final IdempotencyKeys idempotency;

    public IngestService(BlobStore blobs, LocalWorkers localWorkers, ImageCompletion completion,
                         IngestSettings settings, Usage usage,
                         @ConfigProperty(name = "exifq.sync-timeout", defaultValue = "30s") Duration syncTimeout,
                         EditStep editStep, IdempotencyKeys idempotency) {
        this.editStep = editStep;
        this.idempotency = idempotency;
        this.blobs = blobs;
        this.localWorkers = localWorkers;
        this.completion = completion;
        this.settings = settings;
        this.usage = usage;
        this.syncTimeout = syncTimeout;
    }

    public record Submission(Image image, boolean finished) {}

    public Submission submitUpload(long userId, Path uploaded, String filename, long size, boolean async) throws IOException {
        return submitUpload(userId, uploaded, filename, size, async, null, null);
    }

    public Submission submitUpload(long userId, Path uploaded, String filename, long size, boolean async,
                                   EditSpec edit) throws IOException {
        return submitUpload(userId, uploaded, filename, size, async, edit, null);
    }

    /**
     * An upload to be written with {@code edit} (null: a plain read) before its metadata is extracted. With an
     * {@code idempotencyKey} (validated, or null) a repeat of the same request answers the first one's image.
     */
    public Submission submitUpload(long userId, Path uploaded, String filename, long size, boolean async,
                                   EditSpec edit, String idempotencyKey) throws IOException {
        if (size > settings.maxBytes()) {
            throw new ApiException(413, "file_too_large",
                    "The file is larger than " + (settings.maxBytes() / (1024 * 1024)) + " MB.");
        }
        if (size == 0) {
            throw ApiException.badRequest("empty_file", "The uploaded file is empty.");
        }
        ImageSniffer.Sniffed type = ImageSniffer.sniff(uploaded);
        if (!type.image()) {
            throw new ApiException(415, "not_an_image", "The uploaded file is not an image format we can read.");
        }
        String id = Ulid.next();
        String safeName = Filenames.sanitize(filename);
        String key = OriginalKeys.of(id, type);
        String editJson = edit == null ? null : editStep.toJson(edit);
        IdempotencyKeys.Request idem = idempotencyKey == null ? null : new IdempotencyKeys.Request(SCOPE,
                idempotencyKey, IdempotencyKeys.hash("upload", Checksums.sha256(uploaded).sha256(), filename,
                editJson, String.valueOf(async)));
        Image image = accept(id, userId, null, safeName, key, size, editJson, idem); // 429 over the daily limit: nothing stored
        if (!image.id.equals(id)) {
            return answer(image, async); // a repeat: the first request stored the file
        }
        try {
            blobs.put(key, uploaded, null);
        } catch (IOException | RuntimeException e) {
            try {
                discard(id);
            } catch (RuntimeException notUndone) {
                e.addSuppressed(notUndone); // the row stays; see discard
            }
            if (e instanceof IOException) {
                LOG.errorf(e, "Could not store the upload of image %s", id);
                throw new ApiException(503, "storage_unavailable",
                        "The upload could not be stored right now and was not kept; try again later.");
            }
            throw e;
        }
        return start(image, async);
    }

    public Submission submitUrl(long userId, String url, String filename, boolean async) {
        return submitUrl(userId, url, filename, async, null, null);
    }

    public Submission submitUrl(long userId, String url, String filename, boolean async, EditSpec edit) {
        return submitUrl(userId, url, filename, async, edit, null);
    }

    public Submission submitUrl(long userId, String url, String filename, boolean async, EditSpec edit,
                                String idempotencyKey) {
        String normalised = validateUrl(url);
        String id = Ulid.next();
        String editJson = edit == null ? null : editStep.toJson(edit);
        IdempotencyKeys.Request idem = idempotencyKey == null ? null : new IdempotencyKeys.Request(SCOPE,
                idempotencyKey, IdempotencyKeys.hash("url", normalised, filename, editJson, String.valueOf(async)));
        Image image = accept(id, userId, normalised, Filenames.sanitize(filename), null, null, editJson, idem);
        return image.id.equals(id) ? start(image, async) : answer(image, async);
    }

    static String validateUrl(String url) {
        if (url == null || url.isBlank()) {
            throw ApiException.badRequest("missing_url", "Give a 'url' or upload a 'file'.");
        }
        String u = url.trim();
        if (u.length() > MAX_URL_LENGTH) {
            throw ApiException.badRequest("invalid_url", "The URL is longer than " + MAX_URL_LENGTH + " characters.");
        }
        try {
            URI uri = new URI(u);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (!scheme.equals("http") && !scheme.equals("https")) {
                throw ApiException.badRequest("invalid_url", "Only http and https URLs can be fetched.");
            }
            if (uri.getRawUserInfo() != null) {
                throw ApiException.badRequest("invalid_url", "URLs with credentials are not accepted.");
            }
        } catch (URISyntaxException e) {
            // the fetcher's own parser is more lenient (e.g. unencoded spaces); it decides below
        }
        try {
            UrlFetcher.checkSyntax(u);
            return u;
        } catch (FetchException e) {
            throw ApiException.badRequest(e.code(), e.getMessage());
        }
    }

    /**
     * Reserves a unit of the user's daily limit and writes the row, in one transaction: a refused reservation
     * (429) leaves nothing behind.
     */
    @Transactional
    Image accept(String id, long userId, String url, String filename, String blobKey, Long bytesize, String edit,
                 IdempotencyKeys.Request idem) {
        if (idem != null) {
            Optional<String> earlier = idempotency.claim(userId, idem, id);
            if (earlier.isPresent()) {
                // no unit reserved: the first request counted
                return Image.<Image>findByIdOptional(earlier.get()).orElseThrow(() -> ApiException.notFound(
                        "The image made with this " + IdempotencyKeys.HEADER + " was deleted."));
            }
        }
        usage.reserve(userId, List.of(id));
        Image image = new Image();
        image.id = id;
        image.userId = userId;
        image.status = Image.QUEUED;
        image.sourceUrl = url;
        image.filename = filename;
        image.blobKey = blobKey;
        image.bytesize = bytesize;
        image.edit = edit;
        image.createdAt = Instant.now();
        image.updatedAt = image.createdAt;
        image.persist();
        return image;
    }

    /**
     * Undoes {@link #accept} when the upload could not be stored. Should this fail too, the sweeper finds the
     * row, its run fails it as file_missing, and that gives the unit back.
     */
    @Transactional
    void discard(String id) {
        idempotency.forget(SCOPE, id);
        usage.refund(List.of(id));
        Image.deleteById(id);
    }

    private Submission start(Image image, boolean async) {
        // The row is committed before either starts, so no accepted id is ever lost; a failed enqueue is picked
        // up by StaleImageSweeper. The job exists before the local run starts, so a run that fails at once can
        // always bring it forward. If this node has room, the job waits backstopDelay: it is then only needed
        // if the node dies or the run fails transiently (LocalWorkers brings it forward), and the run deletes it.
        // If not, the job is enqueued for any replica and the image also queues here for a local worker.
        boolean room = localWorkers.hasRoom();
        try {
            enqueue(image.id, room ? settings.backstopDelay() : Duration.ZERO);
        } catch (RuntimeException e) {
            LOG.errorf(e, "Could not enqueue image %s; the sweeper will", image.id);
        }
        if (!room) {
            localWorkers.overflowed(image.id);
        } else if (!localWorkers.offer(image.id)) {
            localWorkers.runBackstopSoon(image.id); // the last place went to another request meanwhile
            localWorkers.overflowed(image.id);
        }
        return answer(image, async);
    }

    private Submission answer(Image image, boolean async) {
        if (async || image.isFinished()) {
            return new Submission(image, image.isFinished() && !async);
        }
        Image current = completion.await(image.id, syncTimeout).orElse(image);
        return new Submission(current, current.isFinished());
    }

    static void enqueue(String imageId, Duration delay) {
        JobBuilder job = JobBuilder.aJob()
                .withId(Ulid.toUuid(imageId))
                .withName("process image " + imageId)
                .withAmountOfRetries(3)
                .withJobRequest(new ProcessImageJob(imageId));
        if (!delay.isZero() && !delay.isNegative()) {
            job.scheduleIn(delay);
        }
        BackgroundJobRequest.create(job);
    }
}
