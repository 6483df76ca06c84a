package dev.exifq.images;

import dev.exifq.fetch.FetchSettings;
import dev.exifq.fetch.UrlFetcher;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;

import java.util.List;

@ApplicationScoped
public class UrlFetcherProducer {

    @Produces
    @ApplicationScoped
    UrlFetcher fetcher(IngestSettings s) {
        List<String> allowed = s.allowedCidrs().orElse(List.of()).stream()
                .map(String::trim).filter(c -> !c.isEmpty()).toList();
        return new UrlFetcher(new FetchSettings(s.maxBytes(), s.connectTimeout(), s.readTimeout(), s.fetchTimeout(),
                5, allowed));
    }

    void close(@Disposes UrlFetcher fetcher) throws Exception {
        fetcher.close();
    }
}
