package dev.exifq.images;

/**
 * Fired (CDI, synchronously, inside the deleting transaction) when an image row is deleted, by the API or with
 * its account, so that anything holding files derived from it can drop them (observe with
 * {@code @Observes(during = TransactionPhase.AFTER_SUCCESS)} to act only once the delete is committed).
 */
public record ImageDeleted(String imageId, long userId) {}
