package dev.exifq.billing;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dev.exifq.platform.ApiTime;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** Today's usage as the API shows it. */
@JsonPropertyOrder({"today", "limit", "resets_at"})
@Schema(name = "Usage", description = "Images processed today (UTC), web and API together")
public record UsageView(
        @Schema(example = "3") int today,
        @Schema(description = "Images per day on this plan; null when unlimited (admins)", example = "5", nullable = true)
        Integer limit,
        @JsonProperty("resets_at") @Schema(description = "Next midnight UTC", example = "2024-02-24 00:00:00 UTC")
        String resetsAt) {

    public static UsageView of(Usage.Today t) {
        return new UsageView(t.today(), t.limit(), ApiTime.format(t.resetsAt()));
    }
}
