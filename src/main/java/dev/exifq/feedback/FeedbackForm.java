package dev.exifq.feedback;

import dev.exifq.accounts.User;
import dev.exifq.platform.ApiException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/** Checks a submission field by field (each refusal names its field) and stores it. */
@ApplicationScoped
public class FeedbackForm {
    static final int MIN_MESSAGE = 10;
    static final int MAX_MESSAGE = 5000;
    static final int MAX_SUBJECT = 200;
    static final int MAX_NAME = 100;
    static final int MAX_EMAIL = 254;
    static final int MAX_SOURCE_PATH = 500;
    static final Set<String> TYPES = Set.of("feedback", "feature");
    static final Set<String> FIELDS = Set.of("type", "subject", "message", "name", "email", "sourcePath");
    private static final Pattern EMAIL = Pattern.compile("[^\\s@<>\"(),;:]+@[^\\s@<>\"(),;:.]+(\\.[^\\s@<>\"(),;:.]+)+");
    // C0/C1 controls except tab and newlines: NUL cannot even be stored, the others only hide or forge text
    private static final Pattern CONTROL = Pattern.compile("[\\x00-\\x08\\x0B\\x0C\\x0E-\\x1F\\x7F-\\x9F]");

    private final EntityManager em;

    public FeedbackForm(EntityManager em) {
        this.em = em;
    }

    @Schema(name = "FeedbackRequest")
    public record Fields(@Schema(enumeration = {"feedback", "feature"}, defaultValue = "feedback") String type,
                         @Schema(maxLength = MAX_SUBJECT, example = "HEIC thumbnails") String subject,
                         @Schema(required = true, minLength = MIN_MESSAGE, maxLength = MAX_MESSAGE,
                                 example = "Could the viewer show HEIC previews?") String message,
                         @Schema(maxLength = MAX_NAME, example = "Ada") String name,
                         @Schema(description = "Required without a session or API key", maxLength = MAX_EMAIL,
                                 example = "ada@example.com") String email,
                         @Schema(description = "The page it was sent from", maxLength = MAX_SOURCE_PATH,
                                 example = "/viewer") String sourcePath) {}

    /** @throws ApiException 400 invalid_&lt;field&gt; (or missing_&lt;field&gt;) with {@code field} naming it */
    public Fields validate(Map<String, String> in, Long userId) {
        String type = optional(in, "type", 20);
        type = type == null ? "feedback" : type.toLowerCase(Locale.ROOT);
        if (!TYPES.contains(type)) {
            throw invalid("type", "'type' must be 'feedback' or 'feature'.");
        }
        String message = optional(in, "message", Integer.MAX_VALUE);
        if (message == null) {
            throw new ApiException(400, "missing_message", "Give a 'message'.", Map.of("field", "message"));
        }
        int length = message.codePointCount(0, message.length());
        if (length < MIN_MESSAGE || length > MAX_MESSAGE) {
            throw invalid("message", "'message' needs " + MIN_MESSAGE + " to " + MAX_MESSAGE + " characters.");
        }
        String email = optional(in, "email", MAX_EMAIL);
        if (email == null && userId == null) {
            throw new ApiException(400, "missing_email", "Give an 'email' so we can answer, or sign in.",
                    Map.of("field", "email"));
        }
        if (email != null && !EMAIL.matcher(email).matches()) {
            throw invalid("email", "'email' is not a valid email address.");
        }
        String sourcePath = optional(in, "sourcePath", MAX_SOURCE_PATH);
        if (sourcePath != null && (!sourcePath.startsWith("/") || sourcePath.startsWith("//")
                || sourcePath.chars().anyMatch(Character::isWhitespace))) {
            throw invalid("sourcePath", "'sourcePath' must be a path on this site, like /viewer.");
        }
        return new Fields(type, optional(in, "subject", MAX_SUBJECT), message, optional(in, "name", MAX_NAME),
                email == null ? null : User.normaliseEmail(email), sourcePath);
    }

    /** Stores a validated submission; a signed-in user's account email stands in for a missing one. */
    public long store(Fields f, Long userId) {
        return ((Number) em.createNativeQuery("""
                        insert into feedback (type, subject, message, name, email, user_id, source_path)
                        values (:type, :subject, :message, :name,
                                coalesce(cast(:email as text), (select email from users where id = cast(:user as bigint))),
                                cast(:user as bigint), :path)
                        returning id""")
                .setParameter("type", f.type()).setParameter("subject", f.subject()).setParameter("message", f.message())
                .setParameter("name", f.name()).setParameter("email", f.email()).setParameter("user", userId)
                .setParameter("path", f.sourcePath()).getSingleResult()).longValue();
    }

    /** The field trimmed, or null when absent or blank; too long or with control characters is refused. */
    private static String optional(Map<String, String> in, String field, int max) {
        String v = in.get(field);
        if (v == null || v.isBlank()) {
            return null;
        }
        v = v.strip();
        if (CONTROL.matcher(v).find()) {
            throw invalid(field, "'" + field + "' contains control characters.");
        }
        if (v.codePointCount(0, v.length()) > max) {
            throw invalid(field, "'" + field + "' must be at most " + max + " characters.");
        }
        return v;
    }

    private static ApiException invalid(String field, String message) {
        return new ApiException(400, "invalid_" + codeOf(field), message, Map.of("field", field));
    }

    /** sourcePath → source_path, for error codes. */
    static String codeOf(String field) {
        return field.replaceAll("([a-z])([A-Z])", "$1_$2").toLowerCase(Locale.ROOT);
    }
}
