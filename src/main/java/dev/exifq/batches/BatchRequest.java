package dev.exifq.batches;

import dev.exifq.metadata.EditSpec;

import java.util.List;

/** A parsed and validated POST /v1/batches: the URLs in order, the optional callback and edit. */
record BatchRequest(List<String> urls, String callbackUrl, EditSpec edit) {
}
