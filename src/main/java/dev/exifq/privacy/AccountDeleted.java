package dev.exifq.privacy;

/**
 * Fired (CDI, synchronously, inside the deleting transaction) when an account is deleted, after an
 * {@link dev.exifq.images.ImageDeleted} for each of its images, so anything keyed by user can drop it.
 */
public record AccountDeleted(long userId) {}
