package dev.exifq.accounts;

import dev.exifq.cluster.Node;
import dev.exifq.cluster.Role;
import io.smallrye.jwt.algorithm.SignatureAlgorithm;
import io.quarkus.runtime.LaunchMode;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.interfaces.ECKey;
import java.security.interfaces.RSAKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The key pair session JWTs are signed with: from {@code exifq.auth.jwt.private-key}/{@code public-key}
 * (PEM text or file paths; what a cluster must use, every replica the same pair), or else generated once
 * into {@code <exifq.data-dir>/jwt-signing-key.pem} (the embedded single-node default) and reused on every
 * start, so sessions survive restarts. EC P-256 keys sign ES256, RSA keys RS256. A packaged (prod) replica that is one
 * of several ({@link Node#oneOfSeveral()}) refuses to start without a configured pair: a key of its own would make
 * every other replica refuse its sessions.
 */
@Startup // a bad key configuration fails the start, not the first sign-in
@ApplicationScoped
public class SigningKeys {
    private static final Logger LOG = Logger.getLogger(SigningKeys.class);
    static final String GENERATED_FILE = "jwt-signing-key.pem";
    private static final Pattern PEM = Pattern.compile(
            "-----BEGIN ([A-Z0-9 ]+)-----([A-Za-z0-9+/=\\s]+)-----END \\1-----");

    private final PrivateKey privateKey;
    private final PublicKey publicKey;
    private final SignatureAlgorithm algorithm;
    private final String keyId;
    /** Key id → public key, for verification: the current key and every previous one. */
    private final Map<String, PublicKey> verificationKeys;

    @Inject
    public SigningKeys(AuthSettings settings, @ConfigProperty(name = "exifq.data-dir") String dataDir, Node node) {
        this(settings, dataDir, node, LaunchMode.current() == LaunchMode.NORMAL);
    }

    /** One node alone, as in development. */
    SigningKeys(AuthSettings settings, String dataDir) {
        this(settings, dataDir, new Node(Role.ALL, 1), false);
    }

    SigningKeys(AuthSettings settings, String dataDir, Node node, boolean prod) {
        Optional<String> priv = settings.jwt().privateKey().filter(s -> !s.isBlank());
        Optional<String> pub = settings.jwt().publicKey().filter(s -> !s.isBlank());
        KeyPair pair;
        if (priv.isPresent() && pub.isPresent()) {
            pair = new KeyPair(parsePublic(pem(pub.get(), "PUBLIC KEY")), parsePrivate(pem(priv.get(), "PRIVATE KEY")));
        } else if (priv.isPresent() || pub.isPresent()) {
            throw new IllegalStateException("Set both exifq.auth.jwt.private-key and exifq.auth.jwt.public-key, or neither");
        } else if (prod && node.oneOfSeveral()) {
            throw new IllegalStateException("This replica is one of several (" + node + ") but has no session signing "
                    + "key, and one generated here would not be accepted by the others. Give every replica the same "
                    + "pair: set EXIFQ_AUTH_JWT_PRIVATE_KEY and EXIFQ_AUTH_JWT_PUBLIC_KEY (PEM text or file paths; "
                    + "in Kubernetes the exifq-jwt Secret, README \"Deploying several replicas\").");
        } else {
            pair = generatedIn(Path.of(dataDir));
        }
        this.privateKey = pair.getPrivate();
        this.publicKey = pair.getPublic();
        this.algorithm = algorithmOf(publicKey);
        if (!algorithm.equals(algorithmOf(privateKey))) {
            throw new IllegalStateException("The JWT private and public keys are of different types");
        }
        checkPair(pair, algorithm);
        this.keyId = keyIdOf(publicKey);
        Map<String, PublicKey> verifying = new LinkedHashMap<>();
        verifying.put(keyId, publicKey);
        settings.jwt().previousPublicKeys().filter(s -> !s.isBlank()).ifPresent(text -> {
            for (byte[] der : pems(text, "PUBLIC KEY")) {
                PublicKey previous = parsePublic(der);
                algorithmOf(previous); // same key rules as the current pair
                verifying.putIfAbsent(keyIdOf(previous), previous);
            }
        });
        this.verificationKeys = Map.copyOf(verifying);
    }

    /** The public key a token with this key id was signed with, if it is the current or a previous one. */
    public Optional<PublicKey> verificationKey(String kid) {
        return kid == null ? Optional.empty() : Optional.ofNullable(verificationKeys.get(kid));
    }

    public PrivateKey privateKey() { return privateKey; }

    public PublicKey publicKey() { return publicKey; }

    public SignatureAlgorithm algorithm() { return algorithm; }

    public String keyId() { return keyId; }

    /** Loads the generated pair, making it first if there is none. */
    static KeyPair generatedIn(Path dataDir) {
        Path file = dataDir.resolve(GENERATED_FILE);
        try {
            if (!Files.exists(file)) {
                Files.createDirectories(dataDir);
                KeyPair fresh = generateEs256();
                String text = toPem("PRIVATE KEY", fresh.getPrivate().getEncoded())
                        + toPem("PUBLIC KEY", fresh.getPublic().getEncoded());
                Path tmp = Files.createTempFile(dataDir, "jwt-key", ".tmp");
                try {
                    try {
                        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
                    } catch (UnsupportedOperationException ignored) {
                        // not a POSIX file system
                    }
                    Files.writeString(tmp, text, StandardCharsets.US_ASCII);
                    try {
                        // a hard link appears whole and never replaces: a node that lost a race keeps the winner's key
                        Files.createLink(file, tmp);
                    } catch (UnsupportedOperationException e) {
                        Files.move(tmp, file);
                    }
                    LOG.infof("Generated the session signing key (ES256) in %s. A cluster must instead give every "
                            + "replica the same EXIFQ_AUTH_JWT_PRIVATE_KEY and EXIFQ_AUTH_JWT_PUBLIC_KEY.", file);
                } catch (FileAlreadyExistsException e) {
                    // someone else made it first: use theirs
                } finally {
                    Files.deleteIfExists(tmp);
                }
            }
            String text = Files.readString(file, StandardCharsets.US_ASCII);
            return new KeyPair(parsePublic(pem(text, "PUBLIC KEY")), parsePrivate(pem(text, "PRIVATE KEY")));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read or create the session signing key " + file, e);
        }
    }

    public static KeyPair generateEs256() {
        try {
            KeyPairGenerator gen = KeyPairGenerator.getInstance("EC");
            gen.initialize(new ECGenParameterSpec("secp256r1"));
            return gen.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The DER bytes of every PEM block of this type in {@code value} (PEM text or a file path); at least one. */
    static List<byte[]> pems(String value, String type) {
        String text = pemText(value);
        List<byte[]> out = new ArrayList<>();
        Matcher m = PEM.matcher(text);
        while (m.find()) {
            if (m.group(1).equals(type)) {
                out.add(Base64.getMimeDecoder().decode(m.group(2)));
            }
        }
        if (out.isEmpty()) {
            throw new IllegalStateException("No '-----BEGIN " + type + "-----' block in exifq.auth.jwt.previous-public-keys");
        }
        return out;
    }

    private static String pemText(String value) {
        if (value.contains("-----BEGIN")) {
            return value;
        }
        try {
            return Files.readString(Path.of(value.trim()), StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the JWT key file " + value, e);
        }
    }

    /** The DER bytes of the PEM block of this type in {@code value}, which is PEM text or a file path. */
    static byte[] pem(String value, String type) {
        String text = value;
        if (!value.contains("-----BEGIN")) {
            try {
                text = Files.readString(Path.of(value.trim()), StandardCharsets.US_ASCII);
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot read the JWT key file " + value, e);
            }
        }
        Matcher m = PEM.matcher(text);
        while (m.find()) {
            if (m.group(1).equals(type)) {
                return Base64.getMimeDecoder().decode(m.group(2));
            }
        }
        throw new IllegalStateException("No '-----BEGIN " + type + "-----' block in the JWT key"
                + (type.equals("PRIVATE KEY") ? " (convert others with: openssl pkcs8 -topk8 -nocrypt)" : ""));
    }

    private static PrivateKey parsePrivate(byte[] der) {
        for (String alg : new String[]{"EC", "RSA"}) {
            try {
                return KeyFactory.getInstance(alg).generatePrivate(new PKCS8EncodedKeySpec(der));
            } catch (GeneralSecurityException e) {
                // try the next type
            }
        }
        throw new IllegalStateException("The JWT private key is neither an EC nor an RSA PKCS#8 key");
    }

    private static PublicKey parsePublic(byte[] der) {
        for (String alg : new String[]{"EC", "RSA"}) {
            try {
                return KeyFactory.getInstance(alg).generatePublic(new X509EncodedKeySpec(der));
            } catch (GeneralSecurityException e) {
                // try the next type
            }
        }
        throw new IllegalStateException("The JWT public key is neither an EC nor an RSA key");
    }

    static SignatureAlgorithm algorithmOf(java.security.Key key) {
        if (key instanceof ECKey ec) {
            if (ec.getParams().getCurve().getField().getFieldSize() != 256) {
                throw new IllegalStateException("EC JWT keys must be on P-256 (ES256)");
            }
            return SignatureAlgorithm.ES256;
        }
        if (key instanceof RSAKey rsa) {
            if (rsa.getModulus().bitLength() < 2048) {
                throw new IllegalStateException("RSA JWT keys must have at least 2048 bits");
            }
            return SignatureAlgorithm.RS256;
        }
        throw new IllegalStateException("JWT keys must be EC (P-256) or RSA");
    }

    private static void checkPair(KeyPair pair, SignatureAlgorithm algorithm) {
        try {
            String jca = algorithm == SignatureAlgorithm.ES256 ? "SHA256withECDSA" : "SHA256withRSA";
            byte[] probe = "exifq signing key check".getBytes(StandardCharsets.US_ASCII);
            Signature s = Signature.getInstance(jca);
            s.initSign(pair.getPrivate());
            s.update(probe);
            byte[] sig = s.sign();
            Signature v = Signature.getInstance(jca);
            v.initVerify(pair.getPublic());
            v.update(probe);
            if (!v.verify(sig)) {
                throw new IllegalStateException("The JWT public key does not match the private key");
            }
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Cannot use the JWT keys", e);
        }
    }

    private static String keyIdOf(PublicKey key) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(key.getEncoded());
            return Base64.getUrlEncoder().withoutPadding().encodeToString(digest).substring(0, 16);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    static String toPem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }
}
