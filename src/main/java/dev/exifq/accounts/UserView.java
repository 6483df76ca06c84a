package dev.exifq.accounts;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dev.exifq.platform.ApiTime;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

@JsonPropertyOrder({"id", "email", "name", "role", "plan", "created_at"})
@Schema(name = "User")
public record UserView(
        @Schema(example = "42") long id,
        @Schema(example = "ada@example.com") String email,
        @Schema(example = "Ada Lovelace", nullable = true) String name,
        @Schema(enumeration = {"user", "admin"}, example = "user") String role,
        @Schema(example = "free") String plan,
        @JsonProperty("created_at") @Schema(example = "2024-02-23 15:15:30 UTC") String createdAt) {

    public static UserView of(User u) {
        return new UserView(u.id, u.email, u.name, u.role, u.plan, ApiTime.format(u.createdAt));
    }
}
