package dev.exifq.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.exifq.testing.Api;
import dev.exifq.testing.Corpus;
import dev.exifq.testing.JobRunrRows;
import dev.exifq.testing.Management;
import dev.exifq.testing.TestServer;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import javax.sql.DataSource;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Job metrics by kind (local runs and JobRunr's), HTTP latency histograms, and k8s/grafana-dashboard.json: every
 * metric a dashboard query names must be in a real scrape of the management port after some traffic, so the
 * dashboard cannot silently go blank when a metric is renamed.
 */
@QuarkusTest
class DashboardMetricsTest {
    private static final String KIND = "kind=\"process_image\"";
    private static final Set<String> PROMQL_WORDS = Set.of("sum", "max", "min", "avg", "count", "rate", "irate",
            "increase", "histogram_quantile", "by", "without", "on", "ignoring", "and", "or", "unless");

    @TestHTTPResource(value = "/", management = true)
    URL management;
    @Inject
    DataSource dataSource;

    @Test
    void jobMetricsByKindCountLocalAndJobRunrRuns() throws Exception {
        String before = scrape();
        // a local worker runs it at once
        Api.asAdmin().multiPart("file", Corpus.image("exifsamples__jpg__Canon_40D.jpg").toFile())
                .post("/v1/images").then().statusCode(200);
        String flaky;
        try (TestServer server = new TestServer()) {
            // the local run gets a 503 (a retry), then JobRunr's worker runs the job and gets the file
            flaky = Api.asAdmin().contentType("application/json")
                    .body(Map.of("url", server.url("/flaky/exiftool__Canon.jpg"), "async", true))
                    .post("/v1/images").then().statusCode(202).extract().path("id");
            long deadline = System.currentTimeMillis() + 20_000;
            while (!"SUCCEEDED".equals(JobRunrRows.state(dataSource, flaky))) {
                assertTrue(System.currentTimeMillis() < deadline, "JobRunr did not run the retry");
                Thread.sleep(100);
            }
        }
        String after = scrape();
        // the upload ran here without a JobRunr job; the flaky image's retry was enqueued
        assertTrue(delta(before, after, "exifq_jobs_enqueued_total", KIND) >= 1, after);
        assertTrue(delta(before, after, "exifq_jobs_retried_total", KIND) >= 1, "the flaky fetch's retry");
        // the upload (local run) and the flaky image's second run (JobRunr's worker, through its filter)
        assertTrue(delta(before, after, "exifq_jobs_succeeded_total", KIND) >= 2, after);
        assertTrue(delta(before, after, "exifq_jobs_duration_seconds_count", KIND + ",outcome=\"succeeded\"") >= 2, after);
        assertTrue(sum(after, "exifq_jobs_duration_seconds_bucket", KIND) > 0, "the duration is a histogram");
        assertTrue(sum(after, "exifq_jobs_failed_total", KIND) >= 0, "declared at zero before any failure");
        // HTTP latencies with buckets, for p95 across replicas
        assertTrue(sum(after, "http_server_requests_seconds_bucket", "uri=\"/v1/images\"") > 0,
                "http_server_requests_seconds has histogram buckets");
    }

    @Test
    void everyMetricTheDashboardNamesIsScraped() throws Exception {
        Api.asAdmin().get("/v1/images/01hq3v6k2m8x9y7z5w4t3s2r1q").then().statusCode(404); // some HTTP traffic
        try (TestServer server = new TestServer()) { // a fetch, for the fetch outcomes
            Api.asAdmin().contentType("application/json")
                    .body(Map.of("url", server.url("/exiftool__Canon.jpg"), "async", false))
                    .post("/v1/images").then().statusCode(200);
        }
        JsonNode dashboard = new ObjectMapper().readTree(Files.readString(project().resolve("k8s/grafana-dashboard.json")));
        List<String> exprs = new ArrayList<>();
        dashboard.get("panels").forEach(p -> p.get("targets").forEach(t -> exprs.add(t.get("expr").asText())));
        assertTrue(exprs.size() >= 10, "the dashboard's queries: " + exprs);

        String scrape = scrape();
        Set<String> missing = new TreeSet<>();
        Set<String> named = new TreeSet<>();
        for (String expr : exprs) {
            for (String metric : metricsIn(expr)) {
                named.add(metric);
                if (!Pattern.compile("(?m)^" + metric + "[{ ]").matcher(scrape).find()) {
                    missing.add(metric);
                }
            }
        }
        assertTrue(named.containsAll(Set.of("exifq_jobs_queue_depth", "exifq_jobs_queue_oldest_age_seconds",
                "exifq_jobs_succeeded_total", "exifq_jobs_failed_total", "exifq_jobs_retried_total",
                "exifq_jobs_duration_seconds_bucket", "exifq_exiftool_pool_busy", "exifq_exiftool_pool_restarts_total",
                "exifq_exiftool_pool_timeouts_total", "exifq_fetch_total", "http_server_requests_seconds_bucket",
                "http_server_requests_seconds_count")), "the dashboard shows what issue 16 asks: " + named);
        assertEquals(Set.of(), missing, "named by k8s/grafana-dashboard.json but not in /q/metrics");
    }

    /** The metric names of a PromQL expression: identifiers outside label matchers, ranges and by(...) lists. */
    static Set<String> metricsIn(String expr) {
        String bare = expr.replaceAll("\\{[^}]*}", " ").replaceAll("\\[[^]]*]", " ")
                .replaceAll("\\b(by|without)\\s*\\([^)]*\\)", " ").replaceAll("\"[^\"]*\"", " ");
        Set<String> names = new TreeSet<>();
        Matcher m = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*").matcher(bare);
        while (m.find()) {
            if (!PROMQL_WORDS.contains(m.group())) {
                names.add(m.group());
            }
        }
        return names;
    }

    private String scrape() {
        return RestAssured.get(Management.url(management, "/q/metrics")).then().statusCode(200).extract().asString();
    }

    private static double delta(String before, String after, String name, String labels) {
        return sum(after, name, labels) - sum(before, name, labels);
    }

    /** The sum of the samples of that name whose labels contain the given text. */
    private static double sum(String scrape, String name, String labels) {
        double total = 0;
        Matcher m = Pattern.compile("(?m)^" + name + "\\{([^}]*)} ([0-9.eE+-]+|NaN)$").matcher(scrape);
        while (m.find()) {
            if (m.group(1).contains(labels) && !m.group(2).equals("NaN")) {
                total += Double.parseDouble(m.group(2));
            }
        }
        return total;
    }

    private static Path project() {
        return Path.of(System.getProperty("exifq.project-dir", ".")).toAbsolutePath();
    }
}
