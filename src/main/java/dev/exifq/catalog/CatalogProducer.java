package dev.exifq.catalog;

import io.quarkus.runtime.Startup;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/** Loads the catalogue once, at application start, so that no request pays for it. */
public class CatalogProducer {

    @Produces
    @Singleton
    @Startup
    Catalog catalog() {
        return Catalog.loadDefault();
    }
}
