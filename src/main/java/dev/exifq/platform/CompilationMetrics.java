package dev.exifq.platform;

import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.core.instrument.binder.jvm.JvmCompilationMetrics;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/**
 * {@code jvm_compilation_time_ms_total}: the JIT's CPU time. A fresh replica spends a large part of its
 * first minutes compiling; the ingest benchmark uses this to measure only once that has settled.
 */
public class CompilationMetrics {
    @Produces
    @Singleton
    MeterBinder jitCompilation() {
        return new JvmCompilationMetrics();
    }
}
