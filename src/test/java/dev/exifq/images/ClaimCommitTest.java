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

/**
 * A claim's commit does not wait for PostgreSQL to flush its WAL to disk (losing a claim in a crash only puts the
 * image back in the queue), while other commits still do. What each commit ran with is recorded by a deferred
 * trigger, which PostgreSQL fires while committing, so it sees the settings the commit itself obeys.
 */
@QuarkusTest
class ClaimCommitTest {
    private static final String FILE_NAME = "claim-commit-test.jpg";

    @Inject
    ImageClaims claims;

    @BeforeEach
    void recordEachCommitsSetting() {
        TestDb.update("create table if not exists claim_commits (image_id text, status text, sync text)");
        TestDb.update("""
                create or replace function record_claim_commit() returns trigger language plpgsql as $$
                begin
                    insert into claim_commits values (new.id, new.status, current_setting('synchronous_commit'));
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
    void aClaimCommitsWithoutWaitingForTheDiskAndAResultStillWaits() {
        String id = Ulid.next();
        TestDb.update("""
                insert into images (id, user_id, status, filename, bytesize, attempts, cached, created_at, updated_at)
                select ?, id, 'queued', ?, 1, 0, false, now(), now() from users where email = 'admin@exifq.test'""",
                id, FILE_NAME);

        ImageClaims.Claim claim = claims.claim(id, Duration.ofMinutes(5)).orElseThrow();
        assertEquals("processing", claim.image().status);
        assertEquals("off", TestDb.string("select sync from claim_commits where image_id = ? and status = 'processing'", id));

        assertEquals(1, TestDb.update("""
                update images set status = 'failed', error_code = 'test', claimed_by = null, claim_expires_at = null
                 where id = ? and claimed_by = ?""", id, claim.token()));
        assertEquals("on", TestDb.string("select sync from claim_commits where image_id = ? and status = 'failed'", id));
        assertEquals(2, TestDb.count("select count(*) from claim_commits where image_id = ?", id));
    }
}
