package dev.exifq.hashing;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import org.eclipse.microprofile.config.inject.ConfigProperty;

@ApplicationScoped
public class HashingProducer {

    /**
     * Bumped whenever a change to the hashing code can change a hash, or adds one; part of the extraction cache key.
     * 2: the hashes of the eight orientations (cached extractions of revision 1 lack them).
     * 3: HEIC/HEIF hashed from the image through libheif (revision 2 had none, or the preview's).
     */
    public static final int HASHING_REVISION = 3;

    @Produces
    @ApplicationScoped
    ImageHasher hasher(@ConfigProperty(name = "exifq.hashing.max-pixels", defaultValue = "150000000") long maxPixels,
                       @ConfigProperty(name = "exifq.hashing.concurrency", defaultValue = "0") int concurrency) {
        // whichever threads (local or JobRunr workers) ask: at most one JDK decode per core by default
        return new ImageHasher(maxPixels, concurrency > 0 ? concurrency : Runtime.getRuntime().availableProcessors());
    }
}
