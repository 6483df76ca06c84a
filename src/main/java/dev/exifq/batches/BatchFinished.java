package dev.exifq.batches;

/**
 * Fired synchronously inside the transaction that marks a batch completed, once per batch. {@code body} is the
 * batch's JSON exactly as {@code GET /v1/batches/{id}} answers it, for the batch's callback if it has one.
 */
public record BatchFinished(String batchId, long userId, String callbackUrl, String body) {
}
