package dev.exifq.metadata;

import java.util.function.Supplier;

/** A value computed once, on first use (ExifTool's lists: asked only when a write first needs them). */
final class Lazy<T> {
    private final Supplier<T> compute;
    private volatile T value;

    Lazy(Supplier<T> compute) {
        this.compute = compute;
    }

    T get() {
        T v = value;
        if (v == null) {
            synchronized (this) {
                if (value == null) {
                    value = compute.get();
                }
                v = value;
            }
        }
        return v;
    }
}
