package dev.exifq.images;

/**
 * Fired synchronously inside the transaction that writes an image's end (processed or failed), once per image:
 * observers that write rows (webhook deliveries, batch counters) commit or roll back with the result itself.
 * Observers must not import anything that imports them back; they read the image by id if they need more.
 * {@code batchId} and {@code callbackUrl} are the image's (null when it has none), read in the statement that
 * wrote the end, so that the many images without either cost their observers no query.
 */
public record ImageFinished(String imageId, long userId, String status, String batchId, String callbackUrl) {
    public boolean processed() {
        return "processed".equals(status);
    }
}
