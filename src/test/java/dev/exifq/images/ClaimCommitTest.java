package dev.exifq.images;

import dev.exifq.platform.Ulid;
import dev.exifq.testing.TestDb;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A claim's commit, and that of the stored original's key, do not wait for PostgreSQL to flush its WAL to disk
 * (losing either in a crash only makes the image run again), while other commits still do. What each commit ran with is recorded by a deferred
 * trigger, which PostgreSQL fires while committing, so it sees the settings the commit itself obeys.
 */
@QuarkusTest
class ClaimCommitTest {
    private static final String FILE_NAME = "claim-commit-test.jpg";

    @Inject
    ImageClaims claims;
    @Inject
    BlobDeletions blobDeletions;

    @BeforeEach
    void recordEachCommitsSetting() {
        TestDb.update("create table if not exists claim_commits (image_id text, status text, blob_key text, sync text)");
        TestDb.update("""
                create or replace function record_claim_commit() returns trigger language plpgsql as $$
                begin
                    insert into claim_commits values (new.id, new.status, new.blob_key, current_setting('synchronous_commit'));
                    return null;
                end $$""");
        TestDb.update("""
                create constraint trigger record_claim_commit after update on images deferrable initially deferred
                   for each row when (new.filename = '%s') execute function record_claim_commit()""".formatted(FILE_NAME));
    }

    @AfterEach
    void dropTheRecorder() {
        TestDb.update("drop trigger record_claim_commit on images");
        TestDb.update("drop table claim_commits");
        TestDb.update("drop function record_claim_commit()");
    }

    @Test
    void aClaimAndItsBlobKeyCommitWithoutWaitingForTheDiskAndAResultStillWaits() {
        String id = Ulid.next();
        TestDb.update("""
                insert into images (id, user_id, status, filename, bytesize, attempts, cached, created_at, updated_at)
                select ?, id, 'queued', ?, 1, 0, false, now(), now() from users where email = 'admin@exifq.test'""",
                id, FILE_NAME);

        ImageClaims.Claim claim = claims.claim(id, Duration.ofMinutes(5)).orElseThrow();
        assertEquals("processing", claim.image().status);
        assertEquals("off", TestDb.string("""
                select sync from claim_commits where image_id = ? and status = 'processing' and blob_key is null""", id));

        String key = "originals/" + id + ".jpg";
        long intent = blobDeletions.add(key, Duration.ofHours(1));
        assertTrue(claims.recordBlob(claim, key, intent));
        assertEquals("off", TestDb.string("select sync from claim_commits where image_id = ? and blob_key = ?", id, key));
        assertEquals(0, TestDb.count("select count(*) from blob_deletions where id = ?", intent), "intent fulfilled");

        assertEquals(1, TestDb.update("""
                update images set status = 'failed', error_code = 'test', claimed_by = null, claim_expires_at = null
                 where id = ? and claimed_by = ?""", id, claim.token()));
        assertEquals("on", TestDb.string("select sync from claim_commits where image_id = ? and status = 'failed'", id));
        assertEquals(3, TestDb.count("select count(*) from claim_commits where image_id = ?", id));
    }
}
