package dev.exifq.webhooks;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;
import java.util.Optional;

@ConfigMapping(prefix = "exifq.webhooks")
public interface WebhookSettings {
    /**
     * The server key webhook secrets are encrypted with: 32 bytes, base64. Unset, it is derived from the session
     * signing key, which every replica already shares (rotating that key then makes the stored secrets unreadable:
     * set this one before rotating it).
     */
    Optional<String> secretKey();

    /** Wait before the first retry; each further retry waits twice as long, up to {@link #backoffMax()}. */
    @WithDefault("30s")
    Duration backoffInitial();

    @WithDefault("1h")
    Duration backoffMax();

    /** How long after the event deliveries are retried before they are given up. */
    @WithDefault("24h")
    Duration giveUpAfter();

    @WithDefault("5s")
    Duration connectTimeout();

    /** Longest wait for the receiver's answer; the whole attempt ends at twice this. */
    @WithDefault("10s")
    Duration readTimeout();

    /** How often pending deliveries whose job went missing get a new one. */
    @WithDefault("60s")
    Duration sweepEvery();
}
