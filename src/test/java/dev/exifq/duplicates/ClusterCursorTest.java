package dev.exifq.duplicates;

import dev.exifq.platform.ApiException;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ClusterCursorTest {

    @Test
    void roundTrips() {
        ClusterCursor c = new ClusterCursor(HashKind.DHASH, 12, "01hq3v6k2m8x9y7z5w4t3s2r1q", 2000);
        assertEquals(c, ClusterCursor.decode(c.encode()));
        assertEquals(true, c.encode().matches("[A-Za-z0-9_-]+"), "URL-safe without escaping");
    }

    @Test
    void refusesAnythingElse() {
        for (String bad : new String[]{"", "x", "!!!", b64("c1.phash.6.01hq3v6k2m8x9y7z5w4t3s2r1q"),
                b64("c1.ahash.6.01hq3v6k2m8x9y7z5w4t3s2r1q.0"), b64("c1.phash.17.01hq3v6k2m8x9y7z5w4t3s2r1q.0"),
                b64("c1.phash.6.not-an-id.0"), b64("c1.phash.6.01hq3v6k2m8x9y7z5w4t3s2r1q.-1"),
                b64("c2.phash.6.01hq3v6k2m8x9y7z5w4t3s2r1q.0"), b64("c1.PHASH.6.01hq3v6k2m8x9y7z5w4t3s2r1q.0")}) {
            ApiException e = assertThrows(ApiException.class, () -> ClusterCursor.decode(bad), bad);
            assertEquals(400, e.status());
            assertEquals("invalid_cursor", e.code());
        }
    }

    private static String b64(String s) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(s.getBytes(StandardCharsets.US_ASCII));
    }
}
