package dev.exifq.storage;

import org.jboss.logging.Logger;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.model.BucketAlreadyOwnedByYouException;
import software.amazon.awssdk.services.s3.model.BucketLocationConstraint;
import software.amazon.awssdk.services.s3.model.CreateBucketConfiguration;
import software.amazon.awssdk.services.s3.model.CreateBucketRequest;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Blobs as objects in one S3 bucket (AWS or an S3-compatible server), under an optional key prefix.
 *
 * <p>Errors of the SDK come out as {@link IOException}s, like the local store's: a missing object as
 * {@link NoSuchFileException}. Uploads stream from the file (the SDK reads it as it sends, no heap copy);
 * single PUTs are fine up to the service limit of 5 GB, far above the 25 MB the API accepts.
 */
public class S3BlobStore implements BlobStore, AutoCloseable {
    private static final Logger LOG = Logger.getLogger(S3BlobStore.class);
    /** SigV4 refuses presigned URLs that live longer than 7 days. */
    static final Duration MAX_PRESIGN_TTL = Duration.ofDays(7);
    private static final Pattern PREFIX = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*(/[A-Za-z0-9][A-Za-z0-9._-]*)*/?");
    private static final Pattern EXTENSION = Pattern.compile("\\.[a-z0-9]{1,10}$");

    /**
     * How to reach the bucket. {@code endpoint} is null for AWS itself; set, it names an S3-compatible server
     * (MinIO, Ceph, S3Proxy...), which usually wants {@code pathStyle}. Without {@code accessKey} and
     * {@code secretKey} the SDK's default chain finds credentials (environment, profile, web identity, instance
     * role). {@code scratchDir} holds the downloads made by {@link #localCopy}.
     */
    public record Settings(String bucket, String region, URI endpoint, boolean pathStyle, String accessKey,
                           String secretKey, String prefix, Path scratchDir, boolean createBucket) {
        public Settings {
            if (bucket == null || bucket.isBlank()) {
                throw new IllegalArgumentException("exifq.storage.s3.bucket is required for the S3 blob store");
            }
            if (region == null || region.isBlank()) {
                region = "us-east-1";
            }
            if ((accessKey == null || accessKey.isBlank()) != (secretKey == null || secretKey.isBlank())) {
                throw new IllegalArgumentException("Set both exifq.storage.s3.access-key and secret-key, or neither");
            }
            Objects.requireNonNull(scratchDir, "scratchDir");
        }

        /** Credentials shown in logs or exceptions are masked. */
        @Override
        public String toString() {
            return "Settings[bucket=" + bucket + ", region=" + region + ", endpoint=" + endpoint + ", pathStyle="
                    + pathStyle + ", accessKey=" + (accessKey == null ? "(default chain)" : "***") + ", prefix="
                    + prefix + ", scratchDir=" + scratchDir + ", createBucket=" + createBucket + "]";
        }
    }

    private final S3Client s3;
    private final S3Presigner presigner;
    private final String bucket;
    private final String prefix;
    private final Path scratchDir;

    public S3BlobStore(S3Client s3, S3Presigner presigner, String bucket, String prefix, Path scratchDir)
            throws IOException {
        this.s3 = Objects.requireNonNull(s3, "s3");
        this.presigner = Objects.requireNonNull(presigner, "presigner");
        this.bucket = Objects.requireNonNull(bucket, "bucket");
        this.prefix = normalizePrefix(prefix);
        this.scratchDir = Files.createDirectories(scratchDir.toAbsolutePath().normalize());
    }

    /** Builds the SDK clients from the settings (and creates the bucket if asked to). */
    public static S3BlobStore connect(Settings settings) throws IOException {
        Region region = Region.of(settings.region());
        AwsCredentialsProvider credentials = settings.accessKey() == null || settings.accessKey().isBlank()
                ? DefaultCredentialsProvider.builder().build()
                : StaticCredentialsProvider.create(AwsBasicCredentials.create(settings.accessKey(), settings.secretKey()));
        S3Configuration serviceConfig = S3Configuration.builder().pathStyleAccessEnabled(settings.pathStyle()).build();

        S3ClientBuilder builder = S3Client.builder()
                .httpClientBuilder(Apache5HttpClient.builder())
                .region(region)
                .credentialsProvider(credentials)
                .serviceConfiguration(serviceConfig);
        S3Presigner.Builder presignerBuilder = S3Presigner.builder()
                .region(region)
                .credentialsProvider(credentials)
                .serviceConfiguration(serviceConfig);
        if (settings.endpoint() != null) {
            // S3-compatible servers often lack the newer default integrity checksums (aws-chunked uploads with
            // trailing CRC32); ask for checksums only where an operation requires them. AWS keeps the defaults.
            builder.endpointOverride(settings.endpoint())
                    .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                    .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED);
            presignerBuilder.endpointOverride(settings.endpoint());
        }
        S3Client s3 = builder.build();
        S3Presigner presigner = presignerBuilder.build();
        try {
            S3BlobStore store = new S3BlobStore(s3, presigner, settings.bucket(), settings.prefix(), settings.scratchDir());
            if (settings.createBucket()) {
                store.createBucketIfMissing(region);
            }
            return store;
        } catch (IOException | RuntimeException e) {
            s3.close();
            presigner.close();
            throw e;
        }
    }

    static String normalizePrefix(String prefix) {
        if (prefix == null || prefix.isBlank()) {
            return "";
        }
        String p = prefix.strip();
        if (!PREFIX.matcher(p).matches() || p.contains("..")) {
            throw new IllegalArgumentException("Unsafe S3 key prefix: letters, digits, '.', '_', '-' and '/' between"
                    + " segments only");
        }
        return p.endsWith("/") ? p : p + "/";
    }

    String objectKey(String key) {
        return prefix + BlobKeys.check(key);
    }

    void createBucketIfMissing(Region region) throws IOException {
        try {
            s3.headBucket(b -> b.bucket(bucket));
            return;
        } catch (NoSuchBucketException e) {
            // create it below
        } catch (S3Exception e) {
            if (e.statusCode() != 404) {
                throw io("checking bucket " + bucket, e);
            }
        } catch (SdkException e) {
            throw io("checking bucket " + bucket, e);
        }
        CreateBucketRequest.Builder create = CreateBucketRequest.builder().bucket(bucket);
        if (!Region.US_EAST_1.equals(region)) { // us-east-1 is the one region that refuses a location constraint
            create.createBucketConfiguration(CreateBucketConfiguration.builder()
                    .locationConstraint(BucketLocationConstraint.fromValue(region.id())).build());
        }
        try {
            s3.createBucket(create.build());
            LOG.infof("Created S3 bucket %s", bucket);
        } catch (BucketAlreadyOwnedByYouException e) {
            // another node won the race
        } catch (SdkException e) {
            throw io("creating bucket " + bucket, e);
        }
    }

    @Override
    public void put(String key, Path source, String contentType) throws IOException {
        PutObjectRequest.Builder request = PutObjectRequest.builder().bucket(bucket).key(objectKey(key));
        if (contentType != null && !contentType.isBlank()) {
            request.contentType(contentType);
        }
        if (!Files.isRegularFile(source)) {
            throw new NoSuchFileException(source.toString());
        }
        try {
            s3.putObject(request.build(), RequestBody.fromFile(source));
        } catch (SdkException e) {
            throw io("storing " + key, e);
        }
        // The store takes the file over, as the local store does by moving it.
        Files.deleteIfExists(source);
    }

    @Override
    public InputStream open(String key) throws IOException {
        GetObjectRequest request = GetObjectRequest.builder().bucket(bucket).key(objectKey(key)).build();
        try {
            return s3.getObject(request);
        } catch (SdkException e) {
            throw missingOrIo(key, "reading", e);
        }
    }

    @Override
    public LocalCopy localCopy(String key) throws IOException {
        String objectKey = objectKey(key);
        Files.createDirectories(scratchDir);
        // Keep the key's extension, and add none: tools that take a path (ExifTool) read it as a hint of the type.
        var ext = EXTENSION.matcher(key);
        Path tmp = Files.createTempFile(scratchDir, "blob-", ext.find() ? ext.group() : "");
        try (ResponseInputStream<GetObjectResponse> in = s3.getObject(b -> b.bucket(bucket).key(objectKey))) {
            Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
        } catch (SdkException e) {
            Files.deleteIfExists(tmp);
            throw missingOrIo(key, "downloading", e);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(tmp);
            throw e;
        }
        return new LocalCopy() {
            @Override public Path path() { return tmp; }
            @Override public void close() throws IOException { Files.deleteIfExists(tmp); }
        };
    }

    @Override
    public void delete(String key) throws IOException {
        String objectKey = objectKey(key);
        try {
            s3.deleteObject(b -> b.bucket(bucket).key(objectKey)); // S3 answers 204 for missing keys too
        } catch (SdkException e) {
            throw io("deleting " + key, e);
        }
    }

    /**
     * HEAD on the object. Note that without s3:ListBucket permission S3 answers 403, not 404, for a missing
     * key: that comes out as an IOException rather than false.
     */
    @Override
    public boolean exists(String key) throws IOException {
        String objectKey = objectKey(key);
        try {
            s3.headObject(b -> b.bucket(bucket).key(objectKey));
            return true;
        } catch (NoSuchKeyException e) {
            return false;
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                return false;
            }
            throw io("checking " + key, e);
        } catch (SdkException e) {
            throw io("checking " + key, e);
        }
    }

    /**
     * A SigV4 presigned GET, valid for {@code ttl} (at most 7 days; with temporary credentials, such as a
     * role's, also no longer than those credentials). Signing is local: nothing is sent to S3.
     */
    @Override
    public URI presignedGet(String key, Duration ttl, String downloadFilename) throws IOException {
        String objectKey = objectKey(key);
        if (ttl == null || ttl.isNegative() || ttl.isZero() || ttl.compareTo(MAX_PRESIGN_TTL) > 0) {
            throw new IllegalArgumentException("Presigned URL lifetime must be more than 0 and at most 7 days");
        }
        String disposition = downloadFilename == null || downloadFilename.isBlank()
                ? null : contentDisposition(downloadFilename);
        try {
            var presigned = presigner.presignGetObject(p -> p.signatureDuration(ttl)
                    .getObjectRequest(g -> g.bucket(bucket).key(objectKey).responseContentDisposition(disposition)));
            return presigned.url().toURI();
        } catch (SdkException e) {
            throw io("signing a URL for " + key, e);
        } catch (URISyntaxException e) {
            throw new IOException("S3 presigner made an invalid URL", e);
        }
    }

    /**
     * {@code attachment} with an ASCII fallback name and the exact name in RFC 5987 form, so any file name
     * (quotes, semicolons, line breaks, non-Latin letters) can neither break the header nor get lost.
     */
    static String contentDisposition(String filename) {
        StringBuilder ascii = new StringBuilder();
        filename.codePoints().forEach(c -> ascii.append(c >= 0x20 && c < 0x7f && "\"\\;%".indexOf(c) < 0 ? (char) c : '_'));
        StringBuilder encoded = new StringBuilder();
        for (byte b : filename.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || "!#$&+-.^_`|~".indexOf(c) >= 0) {
                encoded.append((char) c);
            } else {
                encoded.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
            }
        }
        return "attachment; filename=\"" + ascii + "\"; filename*=UTF-8''" + encoded;
    }

    private static IOException missingOrIo(String key, String what, SdkException e) {
        if (e instanceof NoSuchKeyException
                || (e instanceof S3Exception s && s.statusCode() == 404 && !(e instanceof NoSuchBucketException))) {
            NoSuchFileException missing = new NoSuchFileException(key);
            missing.initCause(e);
            return missing;
        }
        return io(what + " " + key, e);
    }

    private static IOException io(String what, SdkException e) {
        return new IOException("S3 failed " + what + ": " + e.getMessage(), e);
    }

    @Override
    public void close() {
        s3.close();
        presigner.close();
    }
}
