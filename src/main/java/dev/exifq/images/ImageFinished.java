package dev.exifq.images;

/**
 * Fired synchronously inside the transaction that writes an image's end (processed or failed), once per image:
 * observers that write rows (webhook deliveries, batch counters) commit or roll back with the result itself.
 * Observers must not import anything that imports them back; they read the image by id if they need more.
 */
public record ImageFinished(String imageId, long userId, String status) {
    public boolean processed() {
        return "processed".equals(status);
    }
}
