package dev.exifq.accounts;

import dev.exifq.testing.Api;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * No log line of the suite's servers holds a secret. The test profile writes every log line of every
 * {@code @QuarkusTest} application to {@link #LOG} as well as the console ({@code %test.quarkus.log.file.*});
 * Quarkus' class orderer runs plain tests like this one after all {@code @QuarkusTest} classes, so in a suite run
 * this reads the whole suite's server log. Secrets: the values the tests use (the bootstrap admin's API key and
 * password, the test users' password, the S3 secret), and anything shaped like an issued API key, a JWT or a
 * private key. {@code PackagedJarIT} does the same for the packaged jar's own log.
 */
public class SecretsStayOutOfLogsTest {
    static final Path LOG = Path.of("target/quarkus-test.log");
    private static final List<String> KNOWN = List.of(Api.ADMIN_KEY, "admin-password", AuthApi.PASSWORD,
            "exifq-test-secret-0123456789");
    /** A raw API key (masked ones are {@code exq_…abcd}), a JWT, a PEM private key. */
    public static final Pattern SHAPES = Pattern.compile(
            "exq_[A-Za-z0-9_]{16,}|eyJ[A-Za-z0-9_-]{8,}\\.eyJ[A-Za-z0-9_-]{8,}\\.[A-Za-z0-9_-]{8,}|PRIVATE KEY-----");

    @Test
    void theSuitesServerLogHoldsNoSecret() throws IOException {
        assertTrue(Files.isRegularFile(LOG), LOG + " is missing: run this with the @QuarkusTest classes, after them");
        List<String> lines = new ArrayList<>();
        try (var logs = Files.newDirectoryStream(LOG.getParent(), LOG.getFileName() + "*")) { // and any rotated
            for (Path log : logs) {
                lines.addAll(Files.readAllLines(log, StandardCharsets.UTF_8));
            }
        }
        assertTrue(lines.size() > 10, "the log has only " + lines.size() + " lines: is the file handler on?");
        assertEquals(List.of(), leaks(lines, KNOWN));
    }

    @Test
    void theCheckFindsWhatItLooksFor() {
        assertEquals(3, leaks(List.of("Bearer " + Api.ADMIN_KEY, "password=" + AuthApi.PASSWORD,
                "token eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.c2lnbmF0dXJlLXNpZ25hdHVyZQ",
                "key exq_…abcd (masked) is fine"), KNOWN).size());
    }

    /** Lines holding a known secret or a secret's shape, with the secrets cut out of the report. */
    public static List<String> leaks(List<String> lines, List<String> known) {
        List<String> found = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String cut = lines.get(i);
            for (String secret : known) {
                cut = cut.replace(secret, "<secret>");
            }
            cut = SHAPES.matcher(cut).replaceAll("<secret-shaped>");
            if (!cut.equals(lines.get(i))) {
                found.add("line " + (i + 1) + ": " + cut);
            }
        }
        return found;
    }
}
