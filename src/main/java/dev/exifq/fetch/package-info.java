/**
 * Downloading user-supplied image URLs safely.
 *
 * <p>{@link dev.exifq.fetch.UrlFetcher} is the entry point: create one per application from
 * {@link dev.exifq.fetch.FetchSettings} (it holds a connection pool and a watchdog thread; close it on shutdown) and
 * call {@code fetch(url, target)} from any thread. Failures are {@link dev.exifq.fetch.FetchException}s with a stable
 * {@code code()}, a {@code transientFailure()} flag for retry decisions and the {@code httpStatus()} a synchronous
 * API call should answer (the mapping is tabled on {@link dev.exifq.fetch.FetchException}).
 *
 * <p>{@link dev.exifq.fetch.FetchStage} runs fetches on a pool of their own, with a global and a per-host cap, for
 * callers that must not hold their own threads while a slow host answers.
 *
 * <p>The SSRF rules live in {@link dev.exifq.fetch.AddressPolicy} and can be used on their own. Deployments that must
 * reach private ranges (and tests, which use loopback servers) pass CIDRs in {@code FetchSettings.allowedCidrs};
 * the application reads them from {@code exifq.ingest.allowed-cidrs} / {@code EXIFQ_INGEST_ALLOWED_CIDRS} (comma
 * separated) and splits them.
 */
package dev.exifq.fetch;
