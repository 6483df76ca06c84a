package dev.exifq.platform;

import io.quarkus.runtime.ExecutionMode;
import io.smallrye.config.ConfigSourceContext;
import io.smallrye.config.ConfigSourceFactory;
import io.smallrye.config.ConfigValue;
import io.smallrye.config.PropertiesConfigSource;
import org.eclipse.microprofile.config.spi.ConfigSource;

import java.util.List;
import java.util.Map;

/**
 * Supplies the datasource URL of an embedded PostgreSQL when none is configured, so `scripts/run`
 * works on a fresh machine. Runs while Quarkus builds its runtime config, i.e. before the
 * datasource, Flyway and JobRunr open connections. A configured QUARKUS_DATASOURCE_JDBC_URL
 * (managed PostgreSQL) switches it off.
 */
public class EmbeddedPostgresConfigSourceFactory implements ConfigSourceFactory {

    @Override
    public Iterable<ConfigSource> getConfigSources(ConfigSourceContext context) {
        // Quarkus also reads config while it builds the application (mode UNSET): a database started then
        // would die with the build and its URL would be baked into the jar as a default.
        if (ExecutionMode.current() == ExecutionMode.UNSET) {
            return List.of();
        }
        ConfigValue url = context.getValue("quarkus.datasource.jdbc.url");
        if (url != null && url.getValue() != null && !url.getValue().isBlank()) {
            return List.of();
        }
        String dataDir = valueOr(context, "exifq.data-dir", "./data");
        boolean clean = Boolean.parseBoolean(valueOr(context, "exifq.embedded-postgres.clean", "false"));
        EmbeddedPostgresServer server = EmbeddedPostgresServer.start(dataDir, clean);
        return List.of(new PropertiesConfigSource(Map.of(
                "quarkus.datasource.jdbc.url", server.jdbcUrl(),
                "quarkus.datasource.username", server.username(),
                "quarkus.datasource.password", server.password()),
                "exifq-embedded-postgres", 150));
    }

    private static String valueOr(ConfigSourceContext context, String key, String fallback) {
        ConfigValue v = context.getValue(key);
        return v == null || v.getValue() == null || v.getValue().isBlank() ? fallback : v.getValue();
    }
}
