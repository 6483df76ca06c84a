package dev.exifq.accounts;

import io.smallrye.jwt.algorithm.SignatureAlgorithm;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Where session signing keys come from: config (PEM text or files, EC or RSA) or a generated, reused file. */
class SigningKeysTest {
    @TempDir
    Path dir;

    @Test
    void generatesOnceIntoTheDataDirAndReusesIt() throws Exception {
        SigningKeys first = new SigningKeys(settings(null, null), dir.toString());
        SigningKeys second = new SigningKeys(settings(null, null), dir.toString());
        assertEquals(SignatureAlgorithm.ES256, first.algorithm());
        assertEquals(first.keyId(), second.keyId());
        Path file = dir.resolve(SigningKeys.GENERATED_FILE);
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        // a token signed by one instance verifies with the other (a restart keeps sessions)
        SessionTokens a = new SessionTokens(first, settings(null, null));
        SessionTokens b = new SessionTokens(second, settings(null, null));
        Instant now = Instant.now();
        String token = a.sign(7, "01hq3v6k2m8x9y7z5w4t3s2r1q", "a@b.c", "user", now, now.plusSeconds(60));
        assertEquals(new SessionTokens.Verified(7, "01hq3v6k2m8x9y7z5w4t3s2r1q"), b.verify(token).orElseThrow());
    }

    @Test
    void takesEcKeysFromConfigAsTextOrFiles() throws Exception {
        KeyPair pair = SigningKeys.generateEs256();
        String priv = SigningKeys.toPem("PRIVATE KEY", pair.getPrivate().getEncoded());
        String pub = SigningKeys.toPem("PUBLIC KEY", pair.getPublic().getEncoded());
        SigningKeys fromText = new SigningKeys(settings(priv, pub), dir.toString());
        Path privFile = Files.writeString(dir.resolve("k.pem"), priv);
        Path pubFile = Files.writeString(dir.resolve("k.pub"), pub);
        SigningKeys fromFiles = new SigningKeys(settings(privFile.toString(), pubFile.toString()), dir.toString());
        assertEquals(fromText.keyId(), fromFiles.keyId());
        assertEquals(SignatureAlgorithm.ES256, fromFiles.algorithm());
        assertTrue(Files.notExists(dir.resolve(SigningKeys.GENERATED_FILE)), "nothing generated when configured");
    }

    @Test
    void rsaKeysSignRs256() throws Exception {
        KeyPairGenerator gen = KeyPairGenerator.getInstance("RSA");
        gen.initialize(2048);
        KeyPair pair = gen.generateKeyPair();
        SigningKeys keys = new SigningKeys(settings(SigningKeys.toPem("PRIVATE KEY", pair.getPrivate().getEncoded()),
                SigningKeys.toPem("PUBLIC KEY", pair.getPublic().getEncoded())), dir.toString());
        assertEquals(SignatureAlgorithm.RS256, keys.algorithm());
        SessionTokens tokens = new SessionTokens(keys, settings(null, null));
        Instant now = Instant.now();
        String token = tokens.sign(1, "01hq3v6k2m8x9y7z5w4t3s2r1q", "a@b.c", "user", now, now.plusSeconds(60));
        assertTrue(tokens.verify(token).isPresent());
    }

    @Test
    void refusesMismatchedHalvesOrOnlyOneHalf() {
        KeyPair one = SigningKeys.generateEs256();
        KeyPair other = SigningKeys.generateEs256();
        String priv = SigningKeys.toPem("PRIVATE KEY", one.getPrivate().getEncoded());
        String pub = SigningKeys.toPem("PUBLIC KEY", other.getPublic().getEncoded());
        assertThrows(IllegalStateException.class, () -> new SigningKeys(settings(priv, pub), dir.toString()));
        assertThrows(IllegalStateException.class, () -> new SigningKeys(settings(priv, null), dir.toString()));
        assertThrows(IllegalStateException.class, () -> new SigningKeys(settings(pub, pub), dir.toString()));
        assertNotEquals(one.getPublic(), other.getPublic());
    }

    private static AuthSettings settings(String privateKey, String publicKey) {
        return new AuthSettings() {
            public Duration sessionTtl() { return Duration.ofDays(7); }
            public int bcryptCost() { return 4; }
            public int maxApiKeys() { return 5; }
            public Cookie cookie() { return null; }
            public Throttle throttle() { return null; }
            public SignUps signUps() { return null; }
            public Jwt jwt() {
                return new Jwt() {
                    public Optional<String> privateKey() { return Optional.ofNullable(privateKey); }
                    public Optional<String> publicKey() { return Optional.ofNullable(publicKey); }
                    public String issuer() { return "exifq"; }
                };
            }
        };
    }
}
