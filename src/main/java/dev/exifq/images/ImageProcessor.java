package dev.exifq.images;

import dev.exifq.fetch.FetchException;
import dev.exifq.fetch.FetchResult;
import dev.exifq.fetch.UrlFetcher;
import dev.exifq.hashing.HashingDeadline;
import dev.exifq.storage.BlobStore;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One run of the ingest pipeline for one image: claim, fetch (for URLs), checksum, ExifTool, write.
 * Called by the local workers and by the JobRunr job alike; the claim makes concurrent calls safe.
 */
@ApplicationScoped
public class ImageProcessor {
    private static final Logger LOG = Logger.getLogger(ImageProcessor.class);

    /** HANDED_OVER: a large image went on, still claimed, to the lane given to {@link #process(String, LargeImageLane)}. */
    public enum Outcome { DONE, NOT_CLAIMED, RETRY, HANDED_OVER }

    /** Takes a claimed large image, with its hashing deadline, to a thread of its own; false when it cannot now. */
    @FunctionalInterface
    interface LargeImageLane {
        boolean take(ImageClaims.Claim claim, HashingDeadline deadline);
    }

    /** The run went on in the large-image lane; this thread has nothing more to do. */
    private static final class HandedOver extends RuntimeException {
        HandedOver() {
            super(null, null, false, false);
        }
    }

    private final ImageClaims claims;
    private final ImageResults results;
    private final ImageCompletion completion;
    private final BlobStore blobs;
    private final UrlFetcher fetcher;
    private final Extractor extractor;
    private final ExtractionCache cache;
    private final ImageGear gear;
    private final IngestSettings settings;
    private final TempFiles tempFiles;
    private static final Duration STORE_GRACE = Duration.ofHours(1);

    private final BlobDeletions blobDeletions;
    private final OriginalRetention retention;
    private final EditStep editStep;
    private final Map<String, ImageClaims.Claim> running = new ConcurrentHashMap<>();
    private volatile boolean stopping;

    public ImageProcessor(ImageClaims claims, ImageResults results, ImageCompletion completion, BlobStore blobs,
                          UrlFetcher fetcher, Extractor extractor, ExtractionCache cache, ImageGear gear,
                          IngestSettings settings, TempFiles tempFiles, BlobDeletions blobDeletions,
                          OriginalRetention retention, EditStep editStep) {
        this.blobDeletions = blobDeletions;
        this.retention = retention;
        this.claims = claims;
        this.results = results;
        this.completion = completion;
        this.blobs = blobs;
        this.fetcher = fetcher;
        this.extractor = extractor;
        this.cache = cache;
        this.gear = gear;
        this.settings = settings;
        this.tempFiles = tempFiles;
        this.editStep = editStep;
    }

    /** The whole run on this thread (JobRunr's workers). */
    public Outcome process(String imageId) {
        return process(imageId, null);
    }

    /**
     * With a lane (local workers): an image whose hashing would take a large-image decode slot is handed to the
     * lane, still claimed, just before its extraction, so that giant images cannot hold every worker while small
     * ones wait behind them.
     */
    Outcome process(String imageId, LargeImageLane lane) {
        if (stopping) {
            return Outcome.RETRY; // this node is shutting down: the image's job runs elsewhere (GracefulShutdown)
        }
        Optional<ImageClaims.Claim> maybeClaim = claims.claim(imageId, settings.lease());
        if (maybeClaim.isEmpty()) {
            return Outcome.NOT_CLAIMED;
        }
        ImageClaims.Claim claim = maybeClaim.get();
        running.put(imageId, claim);
        completion.changed(imageId); // processing now: long polls waiting on queued answer
        return finish(claim, lane, null);
    }

    /** Goes on with a run {@link #process(String, LargeImageLane)} handed over; the claim is still held. */
    Outcome resume(ImageClaims.Claim claim, HashingDeadline deadline) {
        // the row as it is now: a URL image's original was stored before the hand-over
        Image now = claims.load(claim.imageId()).orElse(claim.image());
        return finish(new ImageClaims.Claim(claim.imageId(), claim.token(), now), null, deadline);
    }

    private Outcome finish(ImageClaims.Claim claim, LargeImageLane lane, HashingDeadline deadline) {
        String imageId = claim.imageId();
        boolean handedOver = false;
        try {
            try {
                if (!results.processed(claim, run(claim, lane, deadline))) {
                    // another run took over, or a shutdown gave the image back: the result and the job are theirs
                    LOG.warnf("Image %s: lost its claim before the result was written", imageId);
                    return Outcome.NOT_CLAIMED;
                }
                retention.finished(imageId);
                completion.finished(imageId);
                return Outcome.DONE;
            } catch (HandedOver h) {
                handedOver = true;
                return Outcome.HANDED_OVER;
            } catch (ProcessingFailure failure) {
                return failed(claim, failure);
            } catch (IOException | RuntimeException e) {
                LOG.errorf(e, "Image %s: run %d failed unexpectedly", imageId, claim.attempt());
                return failed(claim, new ProcessingFailure("processing_error",
                        "Processing failed on our side; it was retried " + (claim.attempt() - 1) + " times.", true, e));
            }
        } finally {
            if (!handedOver) {
                // not the entry of a later run of the same image (a resumed run's Claim is a new object, same token)
                running.computeIfPresent(imageId, (id, held) -> held.token().equals(claim.token()) ? null : held);
            }
        }
    }

    private Outcome failed(ImageClaims.Claim claim, ProcessingFailure failure) {
        if (failure.transientFailure() && claim.attempt() < settings.maxAttempts()) {
            LOG.infof("Image %s: transient failure on run %d (%s), will retry", claim.imageId(), claim.attempt(),
                    failure.getMessage());
            claims.release(claim);
            completion.changed(claim.imageId());
            return Outcome.RETRY;
        }
        if (!results.failed(claim, failure)) {
            return Outcome.NOT_CLAIMED; // as in finish: the image is another run's now
        }
        retention.finished(claim.imageId());
        completion.finished(claim.imageId());
        return Outcome.DONE;
    }

    /**
     * Stores a fetched original so that it cannot be orphaned: an outbox row that would delete it in an hour is
     * written first, and cancelled when the key is in the row. A crash in between, or an image deleted while it
     * was being fetched, leaves the outbox row to delete the blob.
     */
    private void store(ImageClaims.Claim claim, String blobKey, Path file, String contentType)
            throws IOException, ProcessingFailure {
        long intent = QuarkusTransaction.requiringNew().call(() -> blobDeletions.add(blobKey, STORE_GRACE));
        blobs.put(blobKey, file, contentType);
        if (!claims.recordBlob(claim, blobKey, intent, blobDeletions)) {
            blobDeletions.drainNow(List.of(intent));
            throw ProcessingFailure.permanent("deleted", "The image was deleted while it was being fetched.");
        }
    }

    /** @param deadline the hashing deadline of a handed-over run, else null (it starts at the extraction) */
    private ProcessingResult run(ImageClaims.Claim claim, LargeImageLane lane, HashingDeadline deadline)
            throws ProcessingFailure, IOException {
        Image image = claim.image();
        String finalUrl = image.finalUrl;
        String filename = image.filename;
        String blobKey = image.blobKey;
        if (blobKey == null || !blobs.exists(blobKey)) {
            if (image.sourceUrl == null) {
                throw ProcessingFailure.permanent("file_missing", "The uploaded file is no longer stored.");
            }
            Path tmp = tempFiles.create("fetch");
            try {
                FetchResult fetched = fetcher.fetch(image.sourceUrl, tmp);
                finalUrl = fetched.finalUrl().toString();
                if (filename == null) {
                    filename = fetched.filename();
                }
                // named by its bytes, never by the URL's path or Content-Disposition; not an image: ExifTool says so
                blobKey = OriginalKeys.of(image.id, ImageSniffer.sniff(tmp));
                store(claim, blobKey, tmp, fetched.contentTypeHint());
            } catch (FetchException e) {
                throw new ProcessingFailure(e.code(), e.getMessage(), e.transientFailure(), e);
            } finally {
                Files.deleteIfExists(tmp);
            }
        }
        try (BlobStore.LocalCopy copy = blobs.localCopy(blobKey)) {
            Checksums.Digest digest = Checksums.sha256(copy.path());
            if (digest.bytes() > settings.maxBytes()) {
                throw ProcessingFailure.permanent("file_too_large", "The file is larger than "
                        + (settings.maxBytes() / (1024 * 1024)) + " MB.").withFacts(finalUrl, digest.sha256(), digest.bytes());
            }
            try (EditStep.Edited edited = editStep.apply(image, copy.path())) {
                // with an edit, metadata and hashes describe the processed file; checksum stays the original's
                Path subject = edited == null ? copy.path() : edited.file();
                Checksums.Digest subjectDigest = edited == null ? digest : Checksums.sha256(subject);
                Extraction extraction;
                Optional<Extraction> cached = cache.find(subjectDigest.sha256(), extractor.version());
                if (cached.isPresent()) {
                    extraction = cached.get();
                } else {
                    HashingDeadline hashing = deadline;
                    if (hashing == null) {
                        hashing = extractor.startDeadline();
                        if (lane != null && extractor.large(subject) && lane.take(claim, hashing)) {
                            throw new HandedOver();
                        }
                    }
                    try {
                        extraction = extractor.extract(subject, hashing);
                    } catch (ProcessingFailure f) {
                        throw f.withFacts(finalUrl, digest.sha256(), digest.bytes());
                    }
                }
                EditStep.ProcessedFile processed = edited == null ? null
                        : editStep.store(image, edited, subjectDigest, extraction.contentType(), filename);
                return new ProcessingResult(finalUrl, filename, blobKey, digest.sha256(), digest.bytes(), extraction,
                        extractor.version(), gear.lookUp(extraction.metadata()), processed);
            } catch (ProcessingFailure f) {
                throw f.checksum() == null ? f.withFacts(finalUrl, digest.sha256(), digest.bytes()) : f;
            }
        }
    }

    /** Whether a run on this node holds the image's claim now. */
    boolean running(String imageId) {
        return running.containsKey(imageId);
    }

    /** From now on this node claims nothing: {@link #process} answers RETRY at once. */
    void stopClaiming() {
        stopping = true;
    }

    void resumeClaiming() {
        stopping = false;
    }

    /** The claims runs on this node hold now. */
    List<ImageClaims.Claim> runningClaims() {
        return List.copyOf(running.values());
    }

    /** Keeps the leases of runs on this node alive while they work. */
    @Scheduled(every = "${exifq.ingest.lease-renewal:20s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void renewLeases() {
        running.values().forEach(claim -> claims.extend(claim, settings.lease()));
    }
}
