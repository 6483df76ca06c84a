package dev.exifq.images;

import com.fasterxml.jackson.databind.JsonNode;
import dev.exifq.metadata.EditSpec;

/**
 * Turns the {@code edit} object of {@code POST /v1/images} into an {@link EditSpec} (400 on bad input).
 * Implemented where the write API's field rules live (dev.exifq.writes), so images does not depend on it.
 */
public interface EditRequests {
    EditSpec parse(JsonNode edit);
}
