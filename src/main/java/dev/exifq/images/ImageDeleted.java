package dev.exifq.images;

/**
 * Fired (CDI, synchronously, inside the deleting transaction) when an image row is deleted, by the API or with
 * its account, so that anything holding files derived from it can drop them (observe with
 * {@code @Observes(during = TransactionPhase.AFTER_SUCCESS)} to act only once the delete is committed).
 * {@code finished}: whether it had been processed or failed (an unfinished image never fires
 * {@link ImageFinished} now, so whoever counts finished images counts this one here); {@code batchId} its batch.
 */
public record ImageDeleted(String imageId, long userId, String batchId, boolean finished) {
    /** An image deleted with everything of its account: its batches go with it. */
    public ImageDeleted(String imageId, long userId) {
        this(imageId, userId, null, true);
    }
}
