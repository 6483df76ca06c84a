package dev.exifq.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * A call for every item of a list on a few threads, for loops over something concurrent anyway (the ExifTool pool,
 * the HTTP API): the results in the items' order; the first failure is thrown with the others suppressed.
 */
public final class InParallel {
    public interface Call<A, T> {
        T apply(A item) throws Exception;
    }

    private InParallel() {}

    public static <A, T> List<T> map(List<A> items, int threads, Call<A, T> call) throws Exception {
        ExecutorService executor = Executors.newFixedThreadPool(threads);
        try {
            List<Future<T>> futures = new ArrayList<>();
            for (A item : items) {
                futures.add(executor.submit(() -> call.apply(item)));
            }
            List<T> results = new ArrayList<>();
            Throwable first = null;
            for (Future<T> f : futures) {
                try {
                    results.add(f.get());
                } catch (ExecutionException e) {
                    if (first == null) {
                        first = e.getCause();
                    } else {
                        first.addSuppressed(e.getCause());
                    }
                }
            }
            if (first instanceof Exception e) {
                throw e;
            }
            if (first instanceof Error e) {
                throw e;
            }
            return results;
        } finally {
            executor.shutdownNow();
        }
    }
}
