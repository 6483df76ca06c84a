package dev.exifq.platform;

import org.eclipse.microprofile.config.spi.ConfigSource;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Unset, no proxy is trusted; set, Quarkus forwards from exactly those addresses. */
class TrustedProxiesConfigSourceFactoryTest {

    @Test
    void unsetTrustsNobody() {
        assertEquals(List.of(), TrustedProxiesConfigSourceFactory.sources(null));
        assertEquals(List.of(), TrustedProxiesConfigSourceFactory.sources("  "));
    }

    @Test
    void setTurnsOnForwardingFromThoseProxiesOnly() {
        ConfigSource source = TrustedProxiesConfigSourceFactory.sources(" 10.0.0.0/8,192.168.1.7 ").get(0);
        assertEquals("true", source.getValue("quarkus.http.proxy.proxy-address-forwarding"));
        assertEquals("true", source.getValue("quarkus.http.proxy.allow-x-forwarded"));
        assertEquals("10.0.0.0/8,192.168.1.7", source.getValue("quarkus.http.proxy.trusted-proxies"));
    }
}
