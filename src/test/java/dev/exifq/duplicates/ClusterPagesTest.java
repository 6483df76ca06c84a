package dev.exifq.duplicates;

import dev.exifq.testing.TestUsers;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

/** Paging of GET /v1/duplicates where a cluster is larger than a page, on a synthetic library. */
@QuarkusTest
class ClusterPagesTest {
    @Inject
    DataSource db;
    @Inject
    DuplicatesService duplicates;

    @Test
    void aClusterLargerThanAPageContinuesOnTheNext() throws SQLException {
        long user = TestUsers.create("pro").userId();
        int big = DuplicatesService.MAX_IMAGES_PER_PAGE + 500;
        long[] phash = new long[big + 4];
        // one big cluster (all within a bit or two of 0xF0F0...), then two pairs far from it and each other
        for (int i = 0; i < big; i++) phash[i] = 0xF0F0_F0F0_F0F0_F0F0L ^ (1L << (i % 64)) ^ (i % 3 == 0 ? 1L << 40 : 0);
        phash[big] = 0x0123_4567_89AB_CDEFL;
        phash[big + 1] = 0x0123_4567_89AB_CDEEL;
        phash[big + 2] = 0x7777_0000_7777_0000L;
        phash[big + 3] = 0x7777_0000_7777_0001L;
        String[] ids;
        try (Connection c = db.getConnection()) {
            ids = TestLibraries.insert(c, user, TestLibraries.orderedIds(phash.length), phash, phash.clone());
        }
        List<String> sorted = Arrays.asList(ids).subList(0, big);

        ClusterPageView first = duplicates.clusters(user, HashKind.PHASH, 6, null, 50);
        assertEquals(3, first.total_clusters());
        assertEquals(big + 4, first.total_images());
        assertEquals(1, first.clusters().size(), "the page is full after 2000 images");
        ClusterPageView.Cluster head = first.clusters().get(0);
        assertEquals(big, head.size());
        assertEquals(0, head.offset());
        assertEquals(DuplicatesService.MAX_IMAGES_PER_PAGE, head.images().size());
        assertEquals(sorted.subList(0, DuplicatesService.MAX_IMAGES_PER_PAGE),
                head.images().stream().map(ClusterPageView.Member::id).toList());
        assertNotNull(first.next_cursor());

        ClusterPageView second = duplicates.clusters(user, HashKind.PHASH, 6, ClusterCursor.decode(first.next_cursor()), 50);
        assertEquals(3, second.clusters().size());
        ClusterPageView.Cluster rest = second.clusters().get(0);
        assertEquals(head.id(), rest.id());
        assertEquals(DuplicatesService.MAX_IMAGES_PER_PAGE, rest.offset());
        assertEquals(sorted.subList(DuplicatesService.MAX_IMAGES_PER_PAGE, big),
                rest.images().stream().map(ClusterPageView.Member::id).toList());
        assertEquals(List.of(ids[big], ids[big + 1]), second.clusters().get(1).images().stream()
                .map(ClusterPageView.Member::id).toList());
        assertEquals(List.of(ids[big + 2], ids[big + 3]), second.clusters().get(2).images().stream()
                .map(ClusterPageView.Member::id).toList());
        assertEquals(Arrays.asList(0, 1), second.clusters().get(2).images().stream()
                .map(ClusterPageView.Member::distance).toList());
        assertNull(second.next_cursor());

        // a small limit pages cluster by cluster; after the last one there is nothing
        ClusterPageView one = duplicates.clusters(user, HashKind.PHASH, 6,
                new ClusterCursor(HashKind.PHASH, 6, ids[big], 0), 1);
        assertEquals(List.of(ids[big]), one.clusters().stream().map(ClusterPageView.Cluster::id).toList());
        ClusterPageView two = duplicates.clusters(user, HashKind.PHASH, 6, ClusterCursor.decode(one.next_cursor()), 1);
        assertEquals(List.of(ids[big + 2]), two.clusters().stream().map(ClusterPageView.Cluster::id).toList());
        assertNull(two.next_cursor());
    }
}
