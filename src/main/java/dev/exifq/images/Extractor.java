package dev.exifq.images;

import dev.exifq.hashing.HashingDeadline;
import dev.exifq.hashing.HashingProducer;
import dev.exifq.hashing.HashingTimeoutException;
import dev.exifq.hashing.ImageHasher;
import dev.exifq.hashing.ImageHashes;
import dev.exifq.hashing.ImageTooLargeException;
import dev.exifq.hashing.OrientedHashes;
import dev.exifq.hashing.UndecodableImageException;
import dev.exifq.metadata.ExifToolConfig;
import dev.exifq.metadata.ExifToolPool;
import dev.exifq.metadata.ExifToolTimeoutException;
import dev.exifq.metadata.ExtractedMetadata;
import dev.exifq.metadata.MetadataReader;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/** Everything that follows from a file's bytes: ExifTool metadata, type, size and perceptual hashes. */
@ApplicationScoped
public class Extractor {
    /**
     * 2: HEIC/HEIF width and height are the decoded image's (cached extractions of revision 1 have ExifTool's).
     */
    private static final int EXTRACTOR_REVISION = 2;
    /** ExifTool's File:FileType of the files whose size comes from their decoding (see {@link #extract}). */
    private static final Set<String> HEIF_TYPES = Set.of("HEIC", "HEIF");

    private final MetadataReader reader;
    private final ImageHasher hasher;
    private final ExifToolPool pool;
    private final ExifToolConfig config;
    private volatile String version;
    /** Only waits on ExifTool processes (the pool bounds the real work), so threads are cheap here. */
    private final ExecutorService metadataCalls = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "exiftool-call");
        t.setDaemon(true);
        return t;
    });

    /** Extractions running now on this node, this one included once it has started. */
    private final AtomicInteger running = new AtomicInteger();
    /** Above this many extractions at once the cores are full: each runs its two halves on its own thread. */
    private final int overlapUpTo;
    /** Extractions that ran ExifTool on another thread (for tests). */
    private final LongAdder overlapped = new LongAdder();

    private final Timer metadataTimer;
    private final Timer hashTimer;
    private final boolean hashing;
    /** Waiting for a decode slot and decoding, per image; then hash_error and the metadata alone. */
    private final Duration hashingDeadline;

    public Extractor(MetadataReader reader, ImageHasher hasher, ExifToolPool pool, ExifToolConfig config,
                     MeterRegistry meters,
                     @ConfigProperty(name = "exifq.hashing.enabled", defaultValue = "true") boolean hashing,
                     @ConfigProperty(name = "exifq.hashing.deadline", defaultValue = "20s") Duration hashingDeadline,
                     @ConfigProperty(name = "exifq.extract.overlap-up-to") Optional<Integer> overlapUpTo) {
        this.overlapUpTo = overlapUpTo.orElse(Runtime.getRuntime().availableProcessors());
        this.reader = reader;
        this.hasher = hasher;
        this.pool = pool;
        this.config = config;
        this.hashing = hashing;
        this.hashingDeadline = hashingDeadline;
        this.metadataTimer = Timer.builder("exifq.extract.metadata").description("ExifTool read of one file")
                .publishPercentiles(0.5, 0.95).register(meters);
        this.hashTimer = Timer.builder("exifq.extract.hashes").description("Decode and dHash/pHash of one file")
                .publishPercentiles(0.5, 0.95).register(meters);
    }

    /** Identifies what produced an extraction; a cached result is reused only under the same version. */
    public String version() {
        if (version == null) {
            version = "exiftool " + pool.version() + " " + config.mode() + "; extract " + EXTRACTOR_REVISION
                    + "; hashes " + (hashing ? HashingProducer.HASHING_REVISION : "off");
        }
        return version;
    }

    /**
     * Runs the hash decode on this thread while ExifTool (its own process) reads the metadata, so a file
     * costs the longer of the two, not their sum; unless more images are being extracted than there are cores.
     */
    public Extraction extract(Path file) throws ProcessingFailure {
        return extract(file, startDeadline());
    }

    /**
     * With a hashing deadline that started earlier (an image that waited for the large-image lane).
     * <p>
     * While the cores are not all busy, ExifTool runs on another thread so that an image's latency is the longer
     * of its two halves (a sync upload on a quiet node). Once more images are being extracted than there are
     * cores, the cores are full and that overlap no longer shortens anything; the hand-off to the other thread
     * and back (two thread wake-ups, which are dear on a virtual machine) is then plain cost, so both halves run
     * here, one after the other (README, Benchmarks). Hashes first: their deadline started before this call.
     */
    public Extraction extract(Path file, HashingDeadline deadline) throws ProcessingFailure {
        HashOutcome hashes;
        ExtractedMetadata meta;
        try {
            if (running.incrementAndGet() > overlapUpTo) {
                hashes = hashes(file, deadline);
                meta = metadata(file);
            } else {
                overlapped.increment();
                CompletableFuture<ExtractedMetadata> metadata = CompletableFuture.supplyAsync(() -> metadata(file), metadataCalls);
                hashes = hashes(file, deadline);
                meta = joined(metadata);
            }
        } catch (ExifToolTimeoutException e) {
            throw ProcessingFailure.permanent("metadata_timeout", "Reading the metadata took too long; the file was given up on.");
        } finally {
            running.decrementAndGet();
        }
        if (!ImageTypes.isImage(meta)) {
            throw ProcessingFailure.permanent("not_an_image", ImageTypes.whyNotImage(meta));
        }
        if (hashes.undecodable()) {
            hashes = hashPreview(file, meta, hashes.error(), deadline);
        }
        // HEIC/HEIF: the size of the image as decoded (pillow-heif's: after rotation and crop), not ExifTool's
        // ispe/Exif size, which for an iPhone photo is the sensor's landscape 4032 x 3024
        boolean heif = "image".equals(hashes.source()) && HEIF_TYPES.contains(meta.fileType());
        return new Extraction(meta.mimeType(), heif ? Integer.valueOf(hashes.width()) : meta.width(),
                heif ? Integer.valueOf(hashes.height()) : meta.height(), meta.metadataJson(),
                hashes.dhash(), hashes.phash(), hashes.oriented(), hashes.source(), hashes.error(), false, !hashes.timedOut());
    }

    private ExtractedMetadata metadata(Path file) {
        return metadataTimer.record(() -> reader.read(file));
    }

    private HashOutcome hashes(Path file, HashingDeadline deadline) {
        return hashing ? hashTimer.record(() -> hash(file, deadline))
                : new HashOutcome(null, null, null, null, "Hashing is switched off on this server.", false, false);
    }

    /** The metadata read on the other thread; what it threw, as it threw it. */
    private static ExtractedMetadata joined(CompletableFuture<ExtractedMetadata> metadata) {
        try {
            return metadata.join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException re ? re : e;
        }
    }

    long overlappedSoFar() {
        return overlapped.sum();
    }

    /** The hashing deadline of an image whose processing starts now. */
    public HashingDeadline startDeadline() {
        return HashingDeadline.after(hashingDeadline);
    }

    /** Whether hashing the file will take a large-image decode slot (header only; see ImageHasher#large). */
    public boolean large(Path file) {
        return hashing && hasher.large(file);
    }

    /** How many large images are hashed at once. */
    public int largeConcurrency() {
        return hasher.largeConcurrency();
    }

    private record HashOutcome(String dhash, String phash, OrientedHashes oriented, String source, String error, boolean undecodable,
                               boolean timedOut, int width, int height) {
        HashOutcome(String dhash, String phash, OrientedHashes oriented, String source, String error, boolean undecodable,
                    boolean timedOut) {
            this(dhash, phash, oriented, source, error, undecodable, timedOut, 0, 0);
        }
    }

    private HashOutcome hash(Path file, HashingDeadline deadline) {
        try {
            ImageHashes h = hasher.hash(file, deadline);
            return new HashOutcome(h.dhash(), h.phash(), h.oriented(), "image", null, false, false, h.width(), h.height());
        } catch (ImageTooLargeException e) {
            return new HashOutcome(null, null, null, null, e.getMessage(), false, false);
        } catch (HashingTimeoutException e) {
            return new HashOutcome(null, null, null, null, e.getMessage(), false, true);
        } catch (UndecodableImageException e) {
            return new HashOutcome(null, null, null, null, "The image could not be decoded for hashing: " + e.getMessage(), true, false);
        }
    }

    /**
     * Raw files (and HEIC where libheif is missing): hash the embedded JPEG preview ExifTool can extract, if there
     * is one.
     */
    private HashOutcome hashPreview(Path file, ExtractedMetadata meta, String why, HashingDeadline deadline) {
        if (deadline.expired()) {
            return new HashOutcome(null, null, null, null, why + "; " + deadline.timeout().getMessage(), false, true);
        }
        byte[] preview = reader.extractPreview(file, meta.previewSizes());
        if (preview == null) {
            return new HashOutcome(null, null, null, null, why + "; it has no embedded JPEG preview", true, false);
        }
        try {
            ImageHashes h = hasher.hash(preview, deadline);
            return new HashOutcome(h.dhash(), h.phash(), h.oriented(), "preview", null, false, false);
        } catch (HashingTimeoutException e) {
            return new HashOutcome(null, null, null, null, why + "; " + e.getMessage(), false, true);
        } catch (UndecodableImageException | ImageTooLargeException e) {
            return new HashOutcome(null, null, null, null, why + "; its embedded preview could not be decoded either", true, false);
        }
    }
}
