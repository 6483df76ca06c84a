package dev.exifq.webhooks;

import dev.exifq.testing.WebhookReceiver;

import dev.exifq.fetch.AddressPolicy;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The sender on its own, with the production policy (nothing allowlisted) and with the tests' allowlist. */
class WebhookSenderTest {
    private static WebhookReceiver receiver;

    @BeforeAll
    static void start() throws IOException {
        receiver = new WebhookReceiver();
    }

    @AfterAll
    static void stop() {
        receiver.close();
    }

    private static WebhookSender.Outcome send(AddressPolicy policy, String url) {
        WebhookSender sender = new WebhookSender(policy, Duration.ofSeconds(2), Duration.ofSeconds(2));
        try {
            return sender.send(url, "01evt", "image.finished", "{}", WebhookSignature.header("whsec_x", 1, "{}"));
        } finally {
            sender.close();
        }
    }

    @Test
    void withoutAnAllowlistLoopbackPrivateAndMetadataAddressesAreRefusedUnsent() {
        for (String url : List.of(receiver.url("/ok/strict"), "http://localhost:" + receiver.port() + "/ok/strict",
                "http://[::1]:" + receiver.port() + "/ok/strict", "http://169.254.169.254/latest/meta-data/",
                "http://10.0.0.1/", "http://[::ffff:127.0.0.1]:" + receiver.port() + "/ok/strict")) {
            WebhookSender.Outcome o = send(AddressPolicy.strict(), url);
            assertEquals(WebhookSender.Outcome.Kind.REFUSED, o.kind(), url);
            assertTrue(o.error().startsWith("Callback URL not allowed"), o.error());
        }
        assertTrue(receiver.at("/ok/strict").isEmpty(), "nothing reached the receiver");
    }

    @Test
    void redirectsAreNotFollowedAndNon2xxFails() throws Exception {
        AddressPolicy loopback = new AddressPolicy(List.of("127.0.0.0/8"));
        assertEquals(WebhookSender.Outcome.Kind.DELIVERED, send(loopback, receiver.url("/ok/open")).kind());
        WebhookSender.Outcome failed = send(loopback, receiver.url("/flaky/1/once"));
        assertEquals(WebhookSender.Outcome.Kind.FAILED, failed.kind());
        assertEquals(500, failed.status());
        WebhookSender.Outcome redirected = send(loopback, receiver.url("/redirect"));
        assertEquals(WebhookSender.Outcome.Kind.FAILED, redirected.kind());
        assertEquals(302, redirected.status());
        assertTrue(receiver.at("/ok/redirected").isEmpty(), "the redirect was not followed");
        WebhookSender.Outcome unreachable = send(loopback, "http://127.0.0.1:1/");
        assertEquals(WebhookSender.Outcome.Kind.FAILED, unreachable.kind());
        assertEquals("Could not reach the receiver", unreachable.error());
    }

    @Test
    void theSignatureIsTheHmacOfTimeDotBody() throws Exception {
        String header = WebhookSignature.header("whsec_test", 1700000000L, "{\"a\":1}");
        WebhookReceiver.Received r = new WebhookReceiver.Received("/", "application/json", header, "e", "image.finished",
                "{\"a\":1}", 200);
        assertTrue(WebhookReceiver.verifies("whsec_test", r));
        // printf '%s' '1700000000.{"a":1}' | openssl dgst -sha256 -hmac whsec_test
        assertEquals("t=1700000000,v1=38877139021993b830af32feea6e18a8da83eb2f6e49ee50bd9e4cf4ca4d3789", header);
    }

    @Test
    void secretsDecryptOnlyForTheirUserAndKey() {
        SecretCipher cipher = new SecretCipher(new byte[32]);
        byte[] sealed = cipher.encrypt(7, "whsec_abc");
        assertEquals("whsec_abc", cipher.decrypt(7, sealed));
        org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class, () -> cipher.decrypt(8, sealed));
        byte[] other = new byte[32];
        other[0] = 1;
        org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class,
                () -> new SecretCipher(other).decrypt(7, sealed));
        assertTrue(!cipher.keyId().equals(new SecretCipher(other).keyId()));
    }
}
