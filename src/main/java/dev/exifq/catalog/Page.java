package dev.exifq.catalog;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;

/** One page of a search: {@code page} counts from 1, {@code total} is the number of hits over all pages. */
@JsonPropertyOrder({"items", "page", "size", "total"})
public record Page<T>(
        @JsonProperty("items") List<T> items,
        @JsonProperty("page") int page,
        @JsonProperty("size") int size,
        @JsonProperty("total") long total) {

    public Page {
        items = List.copyOf(items);
    }
}
