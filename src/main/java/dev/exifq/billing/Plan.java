package dev.exifq.billing;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** One plan as the API shows it. */
@JsonPropertyOrder({"id", "name", "price_usd_per_month", "images_per_day", "api_keys", "bulk"})
@Schema(name = "Plan", description = "A plan and its limits")
public record Plan(
        @Schema(example = "free") String id,
        @Schema(example = "Free") String name,
        @JsonProperty("price_usd_per_month") @Schema(example = "0") int priceUsdPerMonth,
        @JsonProperty("images_per_day") @Schema(description = "Images per UTC day, web and API together", example = "5")
        int imagesPerDay,
        @JsonProperty("api_keys") @Schema(example = "false") boolean apiKeys,
        @Schema(description = "Several images per request", example = "false") boolean bulk) {

    @JsonIgnore
    public boolean includes(Feature feature) {
        return switch (feature) {
            case API_KEYS -> apiKeys;
            case BULK -> bulk;
        };
    }
}
