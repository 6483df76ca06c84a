package dev.exifq.cluster;

import io.quarkus.runtime.ExecutionMode;
import io.smallrye.config.ConfigSourceContext;
import io.smallrye.config.ConfigSourceFactory;
import io.smallrye.config.ConfigValue;
import io.smallrye.config.PropertiesConfigSource;
import org.eclipse.microprofile.config.spi.ConfigSource;

import java.util.List;
import java.util.Map;

/**
 * A worker ({@code exifq.role=worker}) opens no public port at all: {@code quarkus.http.host-enabled=false}, so only
 * the management port (health, metrics) listens. Nothing can reach an API the replica does not serve, whatever a
 * Service or NetworkPolicy says. ({@link WorkerRoutes} still answers 404 should the port be switched on again.)
 */
public class WorkerPortConfigSourceFactory implements ConfigSourceFactory {
    @Override
    public Iterable<ConfigSource> getConfigSources(ConfigSourceContext context) {
        if (ExecutionMode.current() == ExecutionMode.UNSET) {
            return List.of(); // building the application: the role is the deployment's
        }
        ConfigValue role = context.getValue("exifq.role");
        return sources(role == null ? null : role.getValue());
    }

    static List<ConfigSource> sources(String role) {
        if (role == null || !role.trim().equalsIgnoreCase(Role.WORKER.name())) {
            return List.of();
        }
        // above application.properties (250), below environment variables (300): QUARKUS_HTTP_HOST_ENABLED still wins
        return List.of(new PropertiesConfigSource(Map.of("quarkus.http.host-enabled", "false"), "exifq-worker-port", 260));
    }
}
