package dev.exifq.images;

import dev.exifq.fetch.FetchSettings;
import dev.exifq.fetch.FetchStage;
import dev.exifq.fetch.UrlFetcher;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import io.micrometer.core.instrument.MeterRegistry;

import java.util.List;

@ApplicationScoped
public class UrlFetcherProducer {

    @Produces
    @ApplicationScoped
    UrlFetcher fetcher(IngestSettings s, MeterRegistry meters) {
        List<String> allowed = s.allowedCidrs().orElse(List.of()).stream()
                .map(String::trim).filter(c -> !c.isEmpty()).toList();
        return new UrlFetcher(new FetchSettings(s.maxBytes(), s.connectTimeout(), s.readTimeout(), s.fetchTimeout(),
                5, allowed), meters);
    }

    @Produces
    @ApplicationScoped
    FetchStage fetchStage(UrlFetcher fetcher, IngestSettings s, MeterRegistry meters) {
        return new FetchStage(fetcher, s.fetchConcurrency(), s.fetchPerHost(), meters);
    }

    void closeStage(@Disposes FetchStage stage) {
        stage.close();
    }

    void close(@Disposes UrlFetcher fetcher) throws Exception {
        fetcher.close();
    }
}
