package dev.exifq.platform;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import java.time.Duration;

/**
 * {@code http_server_requests_seconds} (Quarkus's HTTP server metrics, by method, URI template and status) with
 * histogram buckets, so a dashboard can show p95 across replicas ({@code histogram_quantile} over
 * {@code _bucket}); without them Quarkus publishes only the count, sum and max.
 */
public class HttpLatencyHistograms {
    @Produces
    @Singleton
    MeterFilter httpServerHistograms() {
        return new MeterFilter() {
            @Override
            public DistributionStatisticConfig configure(Meter.Id id, DistributionStatisticConfig config) {
                if (!id.getName().equals("http.server.requests")) {
                    return config;
                }
                return DistributionStatisticConfig.builder().percentilesHistogram(true)
                        .minimumExpectedValue((double) Duration.ofMillis(1).toNanos())
                        .maximumExpectedValue((double) Duration.ofSeconds(60).toNanos())
                        .build().merge(config);
            }
        };
    }
}
