package dev.exifq.metadata;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.binder.MeterBinder;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import java.util.function.ToDoubleFunction;

/** The ExifTool pool on /q/metrics (management port): {@code exifq_exiftool_pool_*}, from its own counters. */
public class ExifToolMetrics {
    @Produces
    @Singleton
    MeterBinder exifToolPool(ExifToolPool pool) {
        return registry -> {
            gauge(registry, pool, "size", "processes the pool may run", s -> s.poolSize());
            gauge(registry, pool, "live", "exiftool processes running", s -> s.liveProcesses());
            gauge(registry, pool, "busy", "processes working on a file", s -> s.busyProcesses());
            counter(registry, pool, "tasks.done", "files read or written", s -> s.tasksDone());
            counter(registry, pool, "tasks.failed", "tasks ended by a timeout, a dead process or a failed start", s -> s.tasksFailed());
            counter(registry, pool, "timeouts", "tasks killed for running past the task timeout", s -> s.timeouts());
            counter(registry, pool, "restarts", "processes thrown away because they died, hung or misbehaved", s -> s.restarts());
        };
    }

    private static void gauge(io.micrometer.core.instrument.MeterRegistry registry, ExifToolPool pool, String name,
                              String help, ToDoubleFunction<ExifToolPoolStats> value) {
        Gauge.builder("exifq.exiftool.pool." + name, pool, p -> value.applyAsDouble(p.stats())).description(help)
                .register(registry);
    }

    private static void counter(io.micrometer.core.instrument.MeterRegistry registry, ExifToolPool pool, String name,
                                String help, ToDoubleFunction<ExifToolPoolStats> value) {
        FunctionCounter.builder("exifq.exiftool.pool." + name, pool, p -> value.applyAsDouble(p.stats()))
                .description(help).register(registry);
    }
}
