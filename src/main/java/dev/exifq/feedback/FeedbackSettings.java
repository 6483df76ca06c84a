package dev.exifq.feedback;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

/** The public form's rate limit ({@code exifq.feedback.*}). */
@ConfigMapping(prefix = "exifq.feedback")
public interface FeedbackSettings {
    /** Submissions one client address may make per window. */
    @WithDefault("10")
    int maxPerAddress();

    @WithDefault("1h")
    Duration window();
}
