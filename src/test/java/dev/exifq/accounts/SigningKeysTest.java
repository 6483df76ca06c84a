package dev.exifq.accounts;

import dev.exifq.cluster.Node;
import dev.exifq.cluster.Role;
import io.smallrye.config.EnvConfigSource;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
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
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static io.smallrye.jwt.algorithm.SignatureAlgorithm.ES256;
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
    void rotationKeepsSessionsSignedWithAPreviousKeyUntilThatKeyIsDropped() throws Exception {
        KeyPair old = SigningKeys.generateEs256();
        KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
        rsa.initialize(2048);
        KeyPair older = rsa.generateKeyPair();
        KeyPair current = SigningKeys.generateEs256();
        String oldPub = SigningKeys.toPem("PUBLIC KEY", old.getPublic().getEncoded());
        String olderPub = SigningKeys.toPem("PUBLIC KEY", older.getPublic().getEncoded());
        Instant now = Instant.now();
        String byOld = new SessionTokens(new SigningKeys(settings(pem(old, "PRIVATE KEY"), oldPub), dir.toString()),
                settings(null, null)).sign(3, "01hq3v6k2m8x9y7z5w4t3s2r1q", "a@b.c", "user", now, now.plusSeconds(60));
        String byOlder = new SessionTokens(new SigningKeys(settings(pem(older, "PRIVATE KEY"), olderPub), dir.toString()),
                settings(null, null)).sign(4, "01hq3v6k2m8x9y7z5w4t3s2r1r", "b@b.c", "user", now, now.plusSeconds(60));

        // rotated: the new pair signs, both earlier public keys (one file, ES256 and RS256) still verify
        Path previous = Files.writeString(dir.resolve("previous.pem"), oldPub + olderPub);
        SigningKeys rotated = new SigningKeys(settings(pem(current, "PRIVATE KEY"),
                SigningKeys.toPem("PUBLIC KEY", current.getPublic().getEncoded()), previous.toString()), dir.toString());
        SessionTokens tokens = new SessionTokens(rotated, settings(null, null));
        assertEquals(new SessionTokens.Verified(3, "01hq3v6k2m8x9y7z5w4t3s2r1q"), tokens.verify(byOld).orElseThrow());
        assertEquals(new SessionTokens.Verified(4, "01hq3v6k2m8x9y7z5w4t3s2r1r"), tokens.verify(byOlder).orElseThrow());
        String byCurrent = tokens.sign(5, "01hq3v6k2m8x9y7z5w4t3s2r1s", "c@b.c", "user", now, now.plusSeconds(60));
        assertEquals(rotated.keyId(), SessionTokens.keyIdOf(byCurrent));
        assertTrue(tokens.verify(byCurrent).isPresent());

        // a token claiming a previous key's kid but signed by another key is still refused
        String[] parts = byOld.split("\\.");
        String[] forged = byCurrent.split("\\.");
        assertTrue(tokens.verify(parts[0] + "." + forged[1] + "." + forged[2]).isEmpty());

        // the old key dropped from the configuration: its sessions end
        SessionTokens afterwards = new SessionTokens(new SigningKeys(settings(pem(current, "PRIVATE KEY"),
                SigningKeys.toPem("PUBLIC KEY", current.getPublic().getEncoded()), olderPub), dir.toString()),
                settings(null, null));
        assertTrue(afterwards.verify(byOld).isEmpty());
        assertTrue(afterwards.verify(byOlder).isPresent());
        assertTrue(afterwards.verify(byCurrent).isPresent());
    }

    @Test
    void previousKeysMustBePublicKeyPems() {
        KeyPair current = SigningKeys.generateEs256();
        assertThrows(IllegalStateException.class, () -> new SigningKeys(settings(pem(current, "PRIVATE KEY"),
                SigningKeys.toPem("PUBLIC KEY", current.getPublic().getEncoded()), "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----"),
                dir.toString()));
    }

    private static String pem(KeyPair pair, String type) {
        return SigningKeys.toPem(type, type.equals("PRIVATE KEY") ? pair.getPrivate().getEncoded() : pair.getPublic().getEncoded());
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

    @Test
    void aProdReplicaThatIsOneOfSeveralRefusesToGenerateAKey() throws Exception {
        for (Map<String, String> env : List.of(Map.of("EXIFQ_ROLE", "api"), Map.of("EXIFQ_ROLE", "worker"),
                Map.of("EXIFQ_REPLICAS", "3"))) {
            Node node = node(env);
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> new SigningKeys(settings(null, null), dir.toString(), node, true), env.toString());
            assertTrue(e.getMessage().contains("EXIFQ_AUTH_JWT_PRIVATE_KEY and EXIFQ_AUTH_JWT_PUBLIC_KEY"), e.getMessage());
            assertTrue(e.getMessage().contains(node.toString()), e.getMessage());
            assertTrue(Files.notExists(dir.resolve(SigningKeys.GENERATED_FILE)), "nothing generated");
        }
        // alone (the defaults), or outside prod, it generates one as before
        assertEquals(ES256, new SigningKeys(settings(null, null), dir.toString(), node(Map.of()), true).algorithm());
        assertTrue(Files.exists(dir.resolve(SigningKeys.GENERATED_FILE)));
        assertEquals(ES256, new SigningKeys(settings(null, null), dir.resolve("dev").toString(),
                node(Map.of("EXIFQ_ROLE", "api")), false).algorithm());
    }

    @Test
    void aProdReplicaThatIsOneOfSeveralUsesTheConfiguredPair() throws Exception {
        KeyPair pair = SigningKeys.generateEs256();
        SigningKeys keys = new SigningKeys(settings(pem(pair, "PRIVATE KEY"), pem(pair, "PUBLIC KEY")), dir.toString(),
                node(Map.of("EXIFQ_ROLE", "api", "EXIFQ_REPLICAS", "4")), true);
        assertEquals(pair.getPublic(), keys.publicKey());
        assertEquals(pair.getPrivate(), keys.privateKey());
        assertTrue(Files.notExists(dir.resolve(SigningKeys.GENERATED_FILE)), "nothing generated when configured");
    }

    /** A Node as CDI would make it: application.properties and these environment variables, SmallRye's conversions. */
    private static Node node(Map<String, String> env) throws java.io.IOException {
        SmallRyeConfig config = new SmallRyeConfigBuilder().addDefaultInterceptors()
                .withSources(new PropertiesConfigSource(SigningKeysTest.class.getResource("/application.properties"), 250))
                .withSources(new EnvConfigSource(env, 300)).build();
        return new Node(config.getValue("exifq.role", Role.class), config.getValue("exifq.cluster.replicas", Integer.class));
    }

    private static AuthSettings settings(String privateKey, String publicKey) {
        return settings(privateKey, publicKey, null);
    }

    private static AuthSettings settings(String privateKey, String publicKey, String previousPublicKeys) {
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
                    public Optional<String> previousPublicKeys() { return Optional.ofNullable(previousPublicKeys); }
                    public String issuer() { return "exifq"; }
                };
            }
        };
    }
}
