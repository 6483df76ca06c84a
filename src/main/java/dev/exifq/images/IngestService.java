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
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
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
    private final SurplusJobs surplus;

    public IngestService(BlobStore blobs, LocalWorkers localWorkers, ImageCompletion completion,
                         IngestSettings settings, Usage usage,
                         @ConfigProperty(name = "exifq.sync-timeout", defaultValue = "30s") Duration syncTimeout,
                         EditStep editStep, IdempotencyKeys idempotency, SurplusJobs surplus) {
        this.surplus = surplus;
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
        return submitUpload(userId, uploaded, filename, size, async, edit, idempotencyKey, null);
    }

    /** {@code callbackUrl}: validated by {@link #validateCallbackUrl}, or null. */
    public Submission submitUpload(long userId, Path uploaded, String filename, long size, boolean async,
                                   EditSpec edit, String idempotencyKey, String callbackUrl) throws IOException {
        IdempotencyKeys.Request idem = null;
        if (idempotencyKey != null) {
            checked(new Upload(uploaded, filename, size)); // a refusal is not worth hashing the file for
            idem = new IdempotencyKeys.Request(SCOPE, idempotencyKey, IdempotencyKeys.hash(withCallback(callbackUrl,
                    "upload", Checksums.sha256(uploaded).sha256(), filename,
                    edit == null ? null : editStep.toJson(edit), String.valueOf(async))));
        }
        return submitUploads(userId, List.of(new Upload(uploaded, filename, size)), async, edit, idem, callbackUrl)
                .get(0);
    }

    /** One uploaded file: where it is now, the client's name for it, its size. */
    public record Upload(Path file, String filename, long size) {}

    /**
     * The checks every upload passes before it is accepted, for callers that check several files before
     * submitting any: 413 too large, 400 empty, 415 clearly not an image (by its bytes).
     */
    public void check(Upload upload) throws IOException {
        checked(upload);
    }

    /**
     * Uploads accepted together: one unit of the daily limit each, all or none (429 and nothing stored when
     * they do not all fit). Each is then stored, queued and run like a single upload; without {@code async}
     * this waits for all of them, {@code exifq.sync-timeout} in all.
     */
    public List<Submission> submitUploads(long userId, List<Upload> uploads, boolean async, EditSpec edit)
            throws IOException {
        return submitUploads(userId, uploads, async, edit, null, null);
    }

    /** {@code idem}: a single upload's idempotency key and request hash, or null. */
    private List<Submission> submitUploads(long userId, List<Upload> uploads, boolean async, EditSpec edit,
                                           IdempotencyKeys.Request idem, String callbackUrl) throws IOException {
        List<Accepted> accepted = new ArrayList<>();
        for (Upload u : uploads) {
            String id = Ulid.next();
            accepted.add(new Accepted(id, u, Filenames.sanitize(u.filename()), OriginalKeys.of(id, checked(u))));
        }
        List<Image> images = accept(userId, accepted, edit == null ? null : editStep.toJson(edit), idem, callbackUrl); // 429 over the daily limit: nothing stored
        if (idem != null && !images.get(0).id.equals(accepted.get(0).id())) {
            storeIfNeverStored(images.get(0), accepted.get(0).upload());
            return List.of(answer(images.get(0), async)); // a repeat: the first request's image
        }
        List<String> stored = new ArrayList<>();
        try {
            for (Accepted a : accepted) {
                blobs.put(a.key(), a.upload().file(), null);
                stored.add(a.key());
            }
        } catch (IOException | RuntimeException e) {
            undo(accepted, stored, e);
            if (e instanceof IOException) {
                LOG.errorf(e, "Could not store the upload of images %s", ids(accepted));
                throw new ApiException(503, "storage_unavailable",
                        "The upload could not be stored right now and was not kept; try again later.");
            }
            throw e;
        }
        images.forEach(this::start);
        if (async) {
            return images.stream().map(i -> new Submission(i, false)).toList();
        }
        Instant deadline = Instant.now().plus(syncTimeout);
        List<Submission> out = new ArrayList<>();
        for (Image image : images) {
            Duration left = Duration.between(Instant.now(), deadline);
            Image current = completion.await(image.id, left.isNegative() ? Duration.ZERO : left).orElse(image);
            out.add(new Submission(current, current.isFinished()));
        }
        return out;
    }

    record Accepted(String id, Upload upload, String filename, String key) {}

    /**
     * A repeat of an upload whose first request ended between writing the row and storing the file (its node
     * killed; the client then retries with the same key): the repeat carries the same bytes, since the key's request
     * hash includes their SHA-256, so it stores them under the first image's key and starts the image, which would
     * otherwise only fail as file_missing. Should the first request still be storing them, both write the same bytes.
     */
    private void storeIfNeverStored(Image first, Upload upload) throws IOException {
        if (first.isFinished() || first.blobKey == null || blobs.exists(first.blobKey)) {
            return;
        }
        try {
            blobs.put(first.blobKey, upload.file(), null);
        } catch (IOException | RuntimeException e) {
            LOG.errorf(e, "Could not store the repeated upload of image %s", first.id);
            throw new ApiException(503, "storage_unavailable",
                    "The upload could not be stored right now; try again later with the same Idempotency-Key.");
        }
        LOG.infof("Image %s: stored the file its first request never stored, from a repeat with its key", first.id);
        start(first);
    }

    private ImageSniffer.Sniffed checked(Upload u) throws IOException {
        if (u.size() > settings.maxBytes()) {
            throw new ApiException(413, "file_too_large",
                    "The file is larger than " + (settings.maxBytes() / (1024 * 1024)) + " MB.");
        }
        if (u.size() == 0) {
            throw ApiException.badRequest("empty_file", "The uploaded file is empty.");
        }
        ImageSniffer.Sniffed type = ImageSniffer.sniff(u.file());
        if (!type.image()) {
            throw new ApiException(415, "not_an_image", "The uploaded file is not an image format we can read.");
        }
        return type;
    }

    /** Undoes {@link #accept} when an upload could not be stored: the stored blobs go, then rows and units. */
    private void undo(List<Accepted> accepted, List<String> stored, Exception e) {
        for (String key : stored) {
            try {
                blobs.delete(key);
            } catch (IOException | RuntimeException notDeleted) {
                e.addSuppressed(notDeleted); // the rows go below: the purge of originals never sees this blob
            }
        }
        try {
            discard(ids(accepted));
        } catch (RuntimeException notUndone) {
            e.addSuppressed(notUndone); // the rows stay; see discard
        }
    }

    private static List<String> ids(List<Accepted> accepted) {
        return accepted.stream().map(Accepted::id).toList();
    }

    public Submission submitUrl(long userId, String url, String filename, boolean async) {
        return submitUrl(userId, url, filename, async, null, null);
    }

    public Submission submitUrl(long userId, String url, String filename, boolean async, EditSpec edit) {
        return submitUrl(userId, url, filename, async, edit, null);
    }

    public Submission submitUrl(long userId, String url, String filename, boolean async, EditSpec edit,
                                String idempotencyKey) {
        return submitUrl(userId, url, filename, async, edit, idempotencyKey, null);
    }

    /** {@code callbackUrl}: validated by {@link #validateCallbackUrl}, or null. */
    public Submission submitUrl(long userId, String url, String filename, boolean async, EditSpec edit,
                                String idempotencyKey, String callbackUrl) {
        String normalised = validateUrl(url);
        String id = Ulid.next();
        String editJson = edit == null ? null : editStep.toJson(edit);
        IdempotencyKeys.Request idem = idempotencyKey == null ? null : new IdempotencyKeys.Request(SCOPE,
                idempotencyKey, IdempotencyKeys.hash(withCallback(callbackUrl, "url", normalised, filename, editJson,
                String.valueOf(async))));
        Image image = accept(id, userId, normalised, Filenames.sanitize(filename), null, null, editJson, idem,
                callbackUrl);
        if (image.id.equals(id)) {
            start(image);
        }
        return answer(image, async);
    }

    /** The trimmed URL, or 400 missing_url / invalid_url saying why it cannot be fetched (before any network). */
    public static String validateUrl(String url) {
        if (url == null || url.isBlank()) {
            throw ApiException.badRequest("missing_url", "Give a 'url' or upload a 'file'.");
        }
        return checkedUrl(url.trim(), "invalid_url", "The URL", false);
    }

    /**
     * A {@code callback_url} (null when absent): an absolute http(s) URL that java.net.URI reads as the fetcher
     * does; 400 invalid_callback_url otherwise. Whom it reaches is decided when it is called (the SSRF guard of
     * dev.exifq.webhooks), as for a fetch.
     */
    public static String validateCallbackUrl(String url) {
        if (url == null) {
            return null;
        }
        if (url.isBlank()) {
            throw ApiException.badRequest("invalid_callback_url", "'callback_url' must be an absolute http or "
                    + "https URL.");
        }
        return checkedUrl(url.trim(), "invalid_callback_url", "'callback_url'", true);
    }

    /** @param strict also refuse what java.net.URI cannot read (the webhook client's parser) */
    private static String checkedUrl(String u, String code, String what, boolean strict) {
        if (u.length() > MAX_URL_LENGTH) {
            throw ApiException.badRequest(code, what + " is longer than " + MAX_URL_LENGTH + " characters.");
        }
        try {
            URI uri = new URI(u);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (!scheme.equals("http") && !scheme.equals("https")) {
                throw ApiException.badRequest(code, strict ? what + " must be an absolute http or https URL."
                        : "Only http and https URLs can be fetched.");
            }
            if (uri.getRawUserInfo() != null) {
                throw ApiException.badRequest(code, "URLs with credentials are not accepted.");
            }
            if (strict && uri.getHost() == null) {
                throw ApiException.badRequest(code, what + " must be an absolute http or https URL.");
            }
        } catch (URISyntaxException e) {
            if (strict) {
                throw ApiException.badRequest(code, what + " is not a valid URL (encode spaces and other special "
                        + "characters).");
            }
            // the fetcher's own parser is more lenient (e.g. unencoded spaces); it decides below
        }
        try {
            UrlFetcher.checkSyntax(u);
            return u;
        } catch (FetchException e) {
            throw ApiException.badRequest(strict ? code : e.code(), e.getMessage());
        }
    }

    /** The idempotency hash parts, with the callback only when there is one (older keys keep their hash). */
    private static String[] withCallback(String callbackUrl, String... parts) {
        if (callbackUrl == null) {
            return parts;
        }
        String[] all = java.util.Arrays.copyOf(parts, parts.length + 1);
        all[parts.length] = "callback " + callbackUrl;
        return all;
    }

    /**
     * Reserves a unit of the user's daily limit and writes the row, in one statement: a refused reservation (429)
     * leaves nothing behind. With an idempotency key, a repeat gets the first request's image instead.
     */
    Image accept(String id, long userId, String url, String filename, String blobKey, Long bytesize, String edit,
                 IdempotencyKeys.Request idem, String callbackUrl) {
        Image image = queued(id, userId, url, filename, blobKey, bytesize, edit, callbackUrl, Instant.now());
        return idem == null ? admit(userId, List.of(image)).get(0) : acceptOnce(userId, List.of(image), idem).get(0);
    }

    /**
     * {@link #accept} for several uploads: their units all reserved, or none (429) and no rows. With {@code idem}
     * (a single upload only) a repeat gets the first request's image and reserves nothing.
     */
    List<Image> accept(long userId, List<Accepted> uploads, String edit, IdempotencyKeys.Request idem,
                       String callbackUrl) {
        Instant now = Instant.now(); // accepted together, written by one statement
        List<Image> images = uploads.stream().map(a -> queued(a.id(), userId, null, a.filename(), a.key(),
                a.upload().size(), edit, callbackUrl, now)).toList();
        return idem == null ? admit(userId, images) : acceptOnce(userId, images, idem);
    }

    /** The idempotency key's claim and the acceptance in one transaction, so a key never names a refused image. */
    @Transactional
    List<Image> acceptOnce(long userId, List<Image> images, IdempotencyKeys.Request idem) {
        Optional<Image> earlier = earlier(userId, idem, images.get(0).id);
        return earlier.isPresent() ? List.of(earlier.get()) : admit(userId, images);
    }

    /** In the caller's transaction: the image an earlier request with this key made (no unit reserved then). */
    private Optional<Image> earlier(long userId, IdempotencyKeys.Request idem, String id) {
        return idempotency.claim(userId, idem, id).map(earlier -> Image.<Image>findByIdOptional(earlier).orElseThrow(
                () -> ApiException.notFound("The image made with this " + IdempotencyKeys.HEADER + " was deleted.")));
    }

    private static Image queued(String id, long userId, String url, String filename, String blobKey, Long bytesize,
                                String edit, String callbackUrl, Instant at) {
        Image image = new Image();
        image.id = id;
        image.userId = userId;
        image.status = Image.QUEUED;
        image.sourceUrl = url;
        image.filename = filename;
        image.blobKey = blobKey;
        image.bytesize = bytesize;
        image.edit = edit;
        image.callbackUrl = callbackUrl;
        image.createdAt = at;
        image.updatedAt = at;
        return image;
    }

    /**
     * The units and the rows in the reservation's statement (every image passes here once): outside a transaction
     * one round trip after the owner's plan, where a transaction was four, with the user's usage row locked
     * throughout.
     */
    private List<Image> admit(long userId, List<Image> images) {
        usage.reserveWith(userId, images.stream().map(i -> i.id).toList(), new Usage.ReservedRows() {
            @Override
            public String insertFromCounted() {
                return """
                        insert into images (id, user_id, status, source_url, filename, blob_key, bytesize, edit,
                                            callback_url, attempts, cached, created_at, updated_at)
                        select r.id, ?, 'queued', r.source_url, r.filename, r.blob_key, r.bytesize, ?, ?, 0, false,
                               ?, ?
                          from counted, unnest(?::text[], ?::text[], ?::text[], ?::text[], ?::bigint[])
                                        as r(id, source_url, filename, blob_key, bytesize)""";
            }

            @Override
            public void bind(PreparedStatement ps, int i) throws SQLException {
                Image first = images.get(0); // the same user, edit, callback and time for all
                ps.setLong(i++, userId);
                ps.setString(i++, first.edit);
                ps.setString(i++, first.callbackUrl);
                OffsetDateTime at = first.createdAt.atOffset(ZoneOffset.UTC);
                ps.setObject(i++, at);
                ps.setObject(i++, at);
                Connection c = ps.getConnection();
                ps.setArray(i++, c.createArrayOf("text", images.stream().map(m -> m.id).toArray()));
                ps.setArray(i++, c.createArrayOf("text", images.stream().map(m -> m.sourceUrl).toArray()));
                ps.setArray(i++, c.createArrayOf("text", images.stream().map(m -> m.filename).toArray()));
                ps.setArray(i++, c.createArrayOf("text", images.stream().map(m -> m.blobKey).toArray()));
                ps.setArray(i, c.createArrayOf("int8", images.stream().map(m -> m.bytesize).toArray()));
            }
        });
        return images;
    }

    /**
     * Undoes {@link #accept} when the upload could not be stored. Should this fail too, the sweeper finds the
     * rows, their runs fail them as file_missing, and that gives the units back.
     */
    @Transactional
    void discard(List<String> ids) {
        ids.forEach(id -> idempotency.forget(SCOPE, id));
        usage.refund(ids);
        Image.delete("id in ?1", ids); // not Image::deleteById: that resolves to PanacheEntityBase, which Panache never fills in
    }

    /**
     * Starts images already written as queued by someone else (a batch's feeder), with their JobRunr jobs
     * created in one go. A job each, not a group's ({@link SurplusJobs}): a batch is fed on a worker replica, and
     * the workers' autoscaler (k8s/base/worker-scaledobject.yaml) counts enqueued jobs as images.
     */
    public void startQueued(List<String> imageIds) {
        // as a burst of submissions that finds the local workers busy: every job enqueued for any replica, and
        // the images also queued here for a local worker; whichever claims an image first runs it
        try {
            BackgroundJobRequest.create(imageIds.stream().map(IngestService::job));
        } catch (RuntimeException e) {
            LOG.errorf(e, "Could not enqueue %d images; the sweeper will", imageIds.size());
        }
        imageIds.forEach(id -> localWorkers.overflowed(id, null));
    }

    private void start(Image image) {
        // The committed row is the durable record, so no accepted id is ever lost. A node with room runs the image
        // itself and writes no JobRunr job for it: should the node die or the run end badly, StaleImageSweeper hands
        // the lapsed row to JobRunr (a failed run asks for a job at once, LocalWorkers#runBackstopSoon). A job per
        // image, written and deleted again, cost more than a third of the server's work per image besides ExifTool
        // (README, Benchmarks). Without room, the image joins a group of surplus images whose JobRunr job any
        // replica may run (SurplusJobs), and also waits here for a local worker; whichever claims it first runs it.
        if (localWorkers.hasRoom() && localWorkers.offer(image.id)) {
            return;
        }
        SurplusJobs.Group group = null;
        try {
            group = surplus.add(image.id);
        } catch (RuntimeException e) {
            LOG.errorf(e, "Could not enqueue image %s; the sweeper will", image.id);
        }
        localWorkers.overflowed(image.id, group);
    }

    private Submission answer(Image image, boolean async) {
        if (async || image.isFinished()) {
            return new Submission(image, image.isFinished() && !async);
        }
        Image current = completion.await(image.id, syncTimeout).orElse(image);
        return new Submission(current, current.isFinished());
    }

    /** The image's JobRunr job, for any replica, now (its id is the image's, so there is one at a time). */
    static void enqueue(String imageId) {
        BackgroundJobRequest.create(job(imageId));
    }

    private static JobBuilder job(String imageId) {
        return JobBuilder.aJob()
                .withId(Ulid.toUuid(imageId))
                .withName("process image " + imageId)
                .withAmountOfRetries(3)
                .withJobRequest(new ProcessImageJob(imageId));
    }
}
