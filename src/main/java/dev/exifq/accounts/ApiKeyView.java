package dev.exifq.accounts;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dev.exifq.platform.ApiTime;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** An API key as listed: never the key itself, only its last four characters. */
@JsonPropertyOrder({"id", "name", "masked", "created_at", "last_used_at", "expires_at"})
@Schema(name = "ApiKey")
public record ApiKeyView(
        @Schema(example = "01hq3v6k2m8x9y7z5w4t3s2r1q") String id,
        @Schema(example = "CI uploader") String name,
        @Schema(example = "exq_…abcd") String masked,
        @JsonProperty("created_at") @Schema(example = "2024-02-23 15:15:30 UTC") String createdAt,
        @JsonProperty("last_used_at") @Schema(example = "2024-02-24 08:01:00 UTC", nullable = true) String lastUsedAt,
        @JsonProperty("expires_at") @Schema(example = "null", nullable = true) String expiresAt) {

    public static ApiKeyView of(ApiKey k) {
        return new ApiKeyView(k.id, k.name, k.masked(), ApiTime.format(k.createdAt), ApiTime.format(k.lastUsedAt),
                ApiTime.format(k.expiresAt));
    }
}
