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
 * Turns one setting, {@code exifq.http.trusted-proxies} (EXIFQ_TRUSTED_PROXIES: addresses or CIDRs of the load
 * balancer or ingress, comma-separated), into Quarkus's proxy settings, so that requests from those peers are keyed
 * on the client their X-Forwarded-For names. Unset, nothing is forwarded: Quarkus's own switch, on with an empty
 * trusted-proxies list, would trust the header from anybody and let every client choose its throttling key.
 */
public class TrustedProxiesConfigSourceFactory implements ConfigSourceFactory {
    static final String SETTING = "exifq.http.trusted-proxies";

    @Override
    public Iterable<ConfigSource> getConfigSources(ConfigSourceContext context) {
        if (ExecutionMode.current() == ExecutionMode.UNSET) {
            return List.of(); // building the application: nothing of the deployment's may be baked in
        }
        ConfigValue trusted = context.getValue(SETTING);
        return sources(trusted == null ? null : trusted.getValue());
    }

    static List<ConfigSource> sources(String trusted) {
        if (trusted == null || trusted.isBlank()) {
            return List.of();
        }
        // above application.properties (250), below environment variables (300): QUARKUS_HTTP_PROXY_* still win
        return List.of(new PropertiesConfigSource(Map.of(
                "quarkus.http.proxy.proxy-address-forwarding", "true",
                "quarkus.http.proxy.allow-x-forwarded", "true",
                "quarkus.http.proxy.trusted-proxies", trusted.trim()),
                "exifq-trusted-proxies", 260));
    }
}
