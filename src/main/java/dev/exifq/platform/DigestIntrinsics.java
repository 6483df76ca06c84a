package dev.exifq.platform;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * Loads the SHA-2 digest classes before anything hashes. HotSpot's C2 compiles the JDK's shared digest loop
 * ({@code DigestBase.engineUpdate}) with a fast path (the CPU's SHA instructions) only for the digest classes loaded
 * at that moment, and never recompiles it when another is loaded later. At start-up SHA-1 (SecureRandom) and MD5
 * (the embedded PostgreSQL's archive) are hashed first and long enough for that compile, so every upload's SHA-256
 * checksum then ran the plain Java loop: 14-17 % of the JVM's samples in the ingest bench, about 100 MB/s, where
 * the instructions do well over 1 GB/s on this machine (README, Benchmarks).
 */
final class DigestIntrinsics {
    private DigestIntrinsics() {}

    static void load() {
        for (String algorithm : new String[] {"SHA-256", "SHA-512"}) {
            try {
                MessageDigest.getInstance(algorithm).digest(new byte[1]);
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(algorithm + " is part of every JDK", e);
            }
        }
    }
}
