package dev.exifq.duplicates;

import java.time.Duration;

/** The library's clusters are still being computed after the request waited its share; ask again. */
public class ClustersComputingException extends RuntimeException {
    static final int RETRY_AFTER_SECONDS = 5;

    ClustersComputingException(Duration waited) {
        super("The duplicate clusters of this library are still being computed (waited " + waited.toSeconds()
                + " s); the work goes on, ask again in a few seconds.");
    }
}
