package dev.exifq.images;

/**
 * Fired synchronously, once per image, when its end (processed or failed) is written: inside that transaction for
 * a failed image and for one with a batch, a callback or a processed file, so observers that write rows (webhook
 * deliveries, batch counters) commit or roll back with the result itself. A processed image with none of these is
 * written by one statement in autocommit, and the event comes after it with no transaction open: an observer that
 * writes rows for such images too must start its own (ImageResults#processed).
 * Observers must not import anything that imports them back; they read the image by id if they need more.
 * {@code batchId} and {@code callbackUrl} are the image's (null when it has none), read in the statement that
 * wrote the end, so that the many images without either cost their observers no query.
 */
public record ImageFinished(String imageId, long userId, String status, String batchId, String callbackUrl) {
    public boolean processed() {
        return "processed".equals(status);
    }
}
