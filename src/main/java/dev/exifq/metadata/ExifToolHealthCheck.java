package dev.exifq.metadata;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Ready when ExifTool answers; reports its version and the pool's state. */
@Readiness
@ApplicationScoped
public class ExifToolHealthCheck implements HealthCheck {
    private final ExifToolPool pool;

    public ExifToolHealthCheck(ExifToolPool pool) {
        this.pool = pool;
    }

    @Override
    public HealthCheckResponse call() {
        try {
            ExifToolPoolStats stats = pool.stats();
            return HealthCheckResponse.named("exiftool").up()
                    .withData("version", pool.version())
                    .withData("poolSize", stats.poolSize())
                    .withData("liveProcesses", stats.liveProcesses())
                    .withData("busyProcesses", stats.busyProcesses())
                    .withData("tasksDone", stats.tasksDone())
                    .build();
        } catch (RuntimeException e) {
            return HealthCheckResponse.named("exiftool").down().withData("error", String.valueOf(e.getMessage())).build();
        }
    }
}
