package dev.exifq.metadata;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The pool against a real exiftool: hangs, kills, retirement, argument injection, concurrency. */
class ExifToolPoolTest {

    private static final Path JPG = TestSupport.image("exifsamples__jpg__Canon_40D.jpg");

    private static ExifToolTask json(Path file) {
        return ExifToolTask.builder().option("-json").option("-g").option("-struct").file(file).build();
    }

    /** Test-only task that blocks inside exiftool: a fixed Perl -if condition that sleeps, then passes. */
    private static ExifToolTask sleeping(int seconds) {
        return ExifToolTask.builder().option("-if", "sleep(" + seconds + "); 1").option("-json").file(JPG).build();
    }

    private static ExifToolPool pool(ExifToolSettings settings, ExifToolPool.Mode mode) {
        return new ExifToolPool(settings, mode);
    }

    @ParameterizedTest
    @EnumSource(ExifToolPool.Mode.class)
    void versionIsThePinnedOne(ExifToolPool.Mode mode) {
        try (ExifToolPool pool = pool(TestSupport.settings(1), mode)) {
            assertEquals("13.59", pool.version());
            assertEquals("13.59", pool.version());
            ExifToolResult r = pool.execute(json(JPG));
            assertEquals(0, r.status());
            assertTrue(r.stdoutText().startsWith("[{"), r.stdoutText());
            assertEquals("", r.stderr());
            assertEquals(1, r.attempts());
        }
    }

    @ParameterizedTest
    @EnumSource(ExifToolPool.Mode.class)
    void hangingTaskIsKilledWithItsChildrenAndTheNextTaskGetsAFreshProcess(ExifToolPool.Mode mode) throws Exception {
        ExifToolSettings settings = TestSupport.settings(1).withTaskTimeout(Duration.ofSeconds(5));
        try (ExifToolPool pool = pool(settings, mode)) {
            long pid1 = pool.execute(json(JPG)).pid();
            // the condition starts a child process (sleep 120) and waits for it
            ExifToolTask hang = ExifToolTask.builder()
                    .option("-if", "system('sleep', '120'); 1").option("-json").file(JPG).build();
            long started = System.nanoTime();
            CompletableFuture<ExifToolResult> future = CompletableFuture.supplyAsync(() -> pool.execute(hang));
            Set<Long> descendants = new HashSet<>();
            while (!future.isDone()) {
                ProcessHandle.of(pid1).ifPresent(h -> h.descendants().forEach(d -> descendants.add(d.pid())));
                Thread.sleep(50);
            }
            ExecutionException e = assertThrows(ExecutionException.class, future::get);
            assertInstanceOf(ExifToolTimeoutException.class, e.getCause());
            long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
            assertTrue(tookMs >= 4900 && tookMs < 20_000, "timed out after " + tookMs + " ms");
            assertFalse(descendants.isEmpty(), "the hanging task should have started a child process");
            TestSupport.waitUntilDead(pid1, Duration.ofSeconds(10));
            for (long d : descendants) {
                TestSupport.waitUntilDead(d, Duration.ofSeconds(10));
            }

            ExifToolResult next = pool.execute(json(JPG));
            assertEquals(0, next.status());
            assertNotEquals(pid1, next.pid());
            ExifToolPoolStats stats = pool.stats();
            assertEquals(1, stats.timeouts(), stats.toString());
            assertEquals(0, stats.retries(), "a timeout is never retried: " + stats);
            assertEquals(1, stats.restarts(), stats.toString());
            assertEquals(1, stats.tasksFailed(), stats.toString());
            assertEquals(1, stats.liveProcesses(), stats.toString());
        }
    }

    @ParameterizedTest
    @EnumSource(ExifToolPool.Mode.class)
    void processKilledWhileIdleIsReplaced(ExifToolPool.Mode mode) throws Exception {
        try (ExifToolPool pool = pool(TestSupport.settings(1), mode)) {
            long pid1 = pool.execute(json(JPG)).pid();
            ProcessHandle.of(pid1).orElseThrow().destroyForcibly();
            TestSupport.waitUntilDead(pid1, Duration.ofSeconds(10));

            ExifToolResult r = pool.execute(json(JPG));
            assertEquals(0, r.status());
            assertNotEquals(pid1, r.pid());
            assertEquals(1, r.attempts(), "a process found dead while idle is replaced before the task starts");
            assertEquals(1, pool.stats().restarts());
            assertEquals(List.of(r.pid()), pool.processIds());
        }
    }

    @ParameterizedTest
    @EnumSource(ExifToolPool.Mode.class)
    void processKilledMidTaskIsReplacedAndTheTaskRetried(ExifToolPool.Mode mode) throws Exception {
        ExifToolSettings settings = TestSupport.settings(1).withTaskTimeout(Duration.ofSeconds(60));
        try (ExifToolPool pool = pool(settings, mode)) {
            long pid1 = pool.execute(json(JPG)).pid();
            CompletableFuture<ExifToolResult> future = CompletableFuture.supplyAsync(() -> pool.execute(sleeping(2)));
            awaitTaskRunning(pool, pid1, mode);
            ProcessHandle.of(pid1).orElseThrow().destroyForcibly();

            ExifToolResult r = future.get(60, TimeUnit.SECONDS);
            assertEquals(0, r.status());
            assertEquals(2, r.attempts());
            assertNotEquals(pid1, r.pid());
            assertTrue(r.stdoutText().contains("\"SourceFile\""), r.stdoutText());
            assertEquals(1, pool.stats().retries());
            assertEquals(1, pool.stats().restarts());
        }
    }

    @ParameterizedTest
    @EnumSource(ExifToolPool.Mode.class)
    void withoutRetriesAProcessDyingMidTaskFailsTheTaskButNotThePool(ExifToolPool.Mode mode) throws Exception {
        ExifToolSettings settings = TestSupport.settings(1).withTaskTimeout(Duration.ofSeconds(60)).withRetries(0);
        try (ExifToolPool pool = pool(settings, mode)) {
            long pid1 = pool.execute(json(JPG)).pid();
            CompletableFuture<ExifToolResult> future = CompletableFuture.supplyAsync(() -> pool.execute(sleeping(2)));
            awaitTaskRunning(pool, pid1, mode);
            ProcessHandle.of(pid1).orElseThrow().destroyForcibly();

            ExecutionException e = assertThrows(ExecutionException.class, () -> future.get(60, TimeUnit.SECONDS));
            assertInstanceOf(ExifToolProcessDiedException.class, e.getCause());
            ExifToolResult r = pool.execute(json(JPG));
            assertEquals(0, r.status());
            assertNotEquals(pid1, r.pid());
        }
    }

    /** Waits until the task is inside exiftool (in fork mode: until the per-task child exists). */
    private static void awaitTaskRunning(ExifToolPool pool, long pid, ExifToolPool.Mode mode) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (pool.stats().busyProcesses() == 0
                || (mode == ExifToolPool.Mode.FORK_PER_TASK
                    && ProcessHandle.of(pid).map(h -> h.children().count()).orElse(0L) == 0)) {
            assertTrue(System.nanoTime() < deadline, "task did not start");
            Thread.sleep(10);
        }
        Thread.sleep(300);
    }

    @ParameterizedTest
    @EnumSource(ExifToolPool.Mode.class)
    void processIsRetiredAfterMaxTasks(ExifToolPool.Mode mode) throws Exception {
        try (ExifToolPool pool = pool(TestSupport.settings(1).withMaxTasksPerProcess(3), mode)) {
            List<Long> pids = new ArrayList<>();
            for (int i = 0; i < 7; i++) {
                pids.add(pool.execute(json(JPG)).pid());
            }
            assertEquals(List.of(pids.get(0), pids.get(0), pids.get(0), pids.get(3), pids.get(3), pids.get(3),
                    pids.get(6)), pids);
            assertEquals(3, new HashSet<>(pids).size(), pids.toString());
            TestSupport.waitUntilDead(pids.get(0), Duration.ofSeconds(10));
            TestSupport.waitUntilDead(pids.get(3), Duration.ofSeconds(10));
            ExifToolPoolStats stats = pool.stats();
            assertEquals(2, stats.retirements(), stats.toString());
            assertEquals(3, stats.processesStarted(), stats.toString());
            assertEquals(0, stats.restarts(), stats.toString());
            assertEquals(7, stats.tasksDone(), stats.toString());
        }
    }

    @Test
    void aProcessOverItsMemoryLimitIsReplacedAtTheNextLook() throws Exception {
        int every = ExifToolSettings.RESIDENT_CHECK_EVERY;
        ExifToolTask version = ExifToolTask.builder().option("-ver").build();
        // a limit of one byte: every process is over it, and goes at the first look
        try (ExifToolPool pool = new ExifToolPool(TestSupport.settings(1).withMaxResidentBytes(1))) {
            List<Long> pids = new ArrayList<>();
            for (int i = 0; i < every + 2; i++) {
                pids.add(pool.execute(version).pid());
            }
            assertEquals(2, new HashSet<>(pids).size(), "one replacement in " + pids.size() + " tasks");
            int changed = pids.indexOf(pids.get(pids.size() - 1));
            assertTrue(changed > every - 3 && changed <= every, "replaced after task " + changed);
            TestSupport.waitUntilDead(pids.get(0), Duration.ofSeconds(10));
            assertEquals(1, pool.stats().retirements(), pool.stats().toString());
        }
        // the default limit: the same tasks keep their process
        try (ExifToolPool pool = new ExifToolPool(TestSupport.settings(1))) {
            assertEquals(ExifToolSettings.DEFAULT_MAX_RESIDENT_BYTES, TestSupport.settings(1).maxResidentBytes());
            Set<Long> pids = new HashSet<>();
            for (int i = 0; i < every + 2; i++) {
                pids.add(pool.execute(version).pid());
            }
            assertEquals(1, pids.size(), pids.toString());
            assertEquals(0, pool.stats().retirements(), pool.stats().toString());
        }
    }

    @Test
    void aProcessReportsItsResidentMemory() throws Exception {
        ExifToolProcess p = ExifToolProcess.start(List.of("perl", TestSupport.exiftool().toString(), "-config", "",
                "-stay_open", "True", "-@", "-"));
        try {
            p.run(List.of("-ver"), 4096);
            long rss = p.residentBytes();
            assertTrue(rss > 4L << 20 && rss < 1L << 30, "resident bytes: " + rss);
        } finally {
            p.discard();
        }
        TestSupport.waitUntilDead(p.pid(), Duration.ofSeconds(10));
        assertEquals(-1, p.residentBytes(), "a process that has gone has no answer");
    }

    @Test
    void injectedArgumentsAreRefusedBeforeAnythingIsWritten() {
        try (ExifToolPool pool = new ExifToolPool(TestSupport.settings(1))) {
            List<String> bad = List.of(
                    "foo\n-execute", "foo\n", "\n-stay_open\nFalse", "a\rb", "a\u0000b", "tab\there", "a\u2028b",
                    "-stay_open", "-STAY_OPEN", "-Stay_Open", "-@", "-execute", "-execute42", "-EXECUTE7",
                    "\u2212execute", "\u2212stay_open", "-common_args", "-config", "--", "-echo4", "-echo",
                    " -execute", "\t-execute", "#comment", "", "\ud800");
            for (String arg : bad) {
                assertThrows(IllegalArgumentException.class, () -> ExifToolTask.builder().option(arg), arg);
                assertThrows(IllegalArgumentException.class, () -> ExifToolTask.builder().value(arg), arg);
            }
            // values and files can never be read as options
            for (String value : List.of("-json", "-b", "\u2212json", "-")) {
                assertThrows(IllegalArgumentException.class, () -> ExifToolTask.builder().value(value), value);
            }
            assertThrows(IllegalArgumentException.class, () -> ExifToolTask.builder().option("json"));
            assertThrows(IllegalArgumentException.class, () -> ExifToolTask.builder().option("-"));
            assertThrows(IllegalArgumentException.class, () -> ExifToolTask.builder().file(Path.of("-execute")));
            assertThrows(IllegalArgumentException.class, () -> ExifToolTask.builder().file(Path.of("rel/a.jpg")));
            assertThrows(IllegalArgumentException.class,
                    () -> ExifToolTask.builder().file(Path.of("/tmp/a\n-execute\n.jpg")));
            assertThrows(IllegalArgumentException.class, () -> ExifToolTask.builder().file(Path.of("/tmp/cmd|")));
            assertThrows(IllegalArgumentException.class, () -> ExifToolTask.builder().option("-if", "1\n-execute"));

            // ordinary arguments pass; an absolute path whose name looks like an option is fine
            ExifToolTask ok = ExifToolTask.builder().option("-charset", "filename=utf8").option("-json")
                    .option("-EXIF:Make").file(Path.of("/tmp/-execute")).build();
            assertEquals(List.of("-charset", "filename=utf8", "-json", "-EXIF:Make", "/tmp/-execute"), ok.args());

            ExifToolPoolStats stats = pool.stats();
            assertEquals(0, stats.processesStarted(), "nothing may reach a process: " + stats);
            assertEquals(0, stats.tasksDone() + stats.tasksFailed(), stats.toString());
        }
    }

    @ParameterizedTest
    @EnumSource(ExifToolPool.Mode.class)
    void manyThreadsShareTwoProcessesAndGetTheirOwnResults(ExifToolPool.Mode mode) throws Exception {
        List<Path> files = List.of(
                TestSupport.image("exifsamples__jpg__Canon_40D.jpg"),
                TestSupport.image("exifsamples__jpg__gps__DSCN0010.jpg"),
                TestSupport.image("exiftool__PNG.png"),
                TestSupport.image("exiftool__GIF.gif"),
                TestSupport.image("exiftool__Nikon.nef"),
                TestSupport.image("exifsamples__heic__samplefilehub.heif"));
        int tasks = mode == ExifToolPool.Mode.FORK_PER_TASK ? 36 : 72;
        ExecutorService threads = Executors.newFixedThreadPool(8);
        AtomicBoolean sampling = new AtomicBoolean(true);
        AtomicInteger maxLive = new AtomicInteger();
        AtomicInteger maxChildren = new AtomicInteger();
        // the ExifTool processes of an application a @QuarkusTest started earlier in this JVM are not this pool's
        Set<Long> othersBefore = TestSupport.perlChildPids();
        try (ExifToolPool pool = pool(TestSupport.settings(2), mode)) {
            Thread sampler = new Thread(() -> {
                while (sampling.get()) {
                    maxLive.accumulateAndGet(pool.stats().liveProcesses(), Math::max);
                    maxChildren.accumulateAndGet((int) TestSupport.perlChildren(othersBefore), Math::max);
                    try {
                        Thread.sleep(5);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            });
            sampler.start();
            List<Future<String>> results = new ArrayList<>();
            for (int i = 0; i < tasks; i++) {
                Path file = files.get(i % files.size());
                results.add(threads.submit(() -> pool.execute(json(file)).stdoutText()));
            }
            for (int i = 0; i < tasks; i++) {
                Path file = files.get(i % files.size());
                String out = results.get(i).get(120, TimeUnit.SECONDS);
                assertTrue(out.contains("\"SourceFile\": \"" + file + "\""), "task " + i + " got another file's output");
                if (mode == ExifToolPool.Mode.FORK_PER_TASK) {
                    String name = file.getFileName().toString();
                    assertEquals(TestSupport.expectedMetadataText(TestSupport.referenceText(name)),
                            new MetadataReaderAccess().strip(out), name);
                }
            }
            sampling.set(false);
            sampler.join();
            ExifToolPoolStats stats = pool.stats();
            assertTrue(maxLive.get() <= 2, "live processes: " + maxLive);
            assertTrue(maxChildren.get() <= 2, "perl children of this JVM: " + maxChildren);
            assertEquals(2, stats.processesStarted(), stats.toString());
            assertEquals(tasks, stats.tasksDone(), stats.toString());
            assertEquals(0, stats.busyProcesses(), stats.toString());
        } finally {
            sampling.set(false);
            threads.shutdownNow();
        }
    }

    /** Splices like MetadataReader does, on raw pool output. */
    private static final class MetadataReaderAccess {
        String strip(String exiftoolJson) throws Exception {
            return ExifToolJson.splitSingle(exiftoolJson).without(MetadataReader.DROPPED_KEYS);
        }
    }

    @Test
    void callersWaitBoundedlyForAFreeProcess() throws Exception {
        ExifToolSettings settings = TestSupport.settings(1).withAcquireTimeout(Duration.ofMillis(300));
        try (ExifToolPool pool = new ExifToolPool(settings)) {
            pool.execute(json(JPG));
            CompletableFuture<ExifToolResult> slow = CompletableFuture.supplyAsync(() -> pool.execute(sleeping(3)));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (pool.stats().busyProcesses() == 0) {
                assertTrue(System.nanoTime() < deadline);
                Thread.sleep(10);
            }
            long started = System.nanoTime();
            assertThrows(ExifToolBusyException.class, () -> pool.execute(json(JPG)));
            long waitedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
            assertTrue(waitedMs >= 250 && waitedMs < 2500, "waited " + waitedMs + " ms");
            assertEquals(0, slow.get(60, TimeUnit.SECONDS).status());
            assertEquals(1, pool.stats().processesStarted());
        }
    }

    @ParameterizedTest
    @EnumSource(ExifToolPool.Mode.class)
    void stderrIsAttachedToItsTaskAndAFloodOfItNeverBlocks(ExifToolPool.Mode mode) {
        try (ExifToolPool pool = pool(TestSupport.settings(1), mode)) {
            Path missing = Path.of("/nonexistent-exifq-dir/missing.jpg");
            ExifToolResult r = pool.execute(ExifToolTask.builder().option("-json").file(missing).build());
            assertEquals(1, r.status());
            assertTrue(r.stderr().contains("Error: File not found - " + missing), r.stderr());
            assertEquals("", r.stdoutText());

            // 2 MB on stderr (pipe buffers hold 64 kB): must not block, is capped, and does not leak into the next task
            ExifToolResult flood = pool.execute(ExifToolTask.builder()
                    .option("-if", "print STDERR ('x' x 99) . qq(\\n) for 1..20000; 1")
                    .option("-json").file(JPG).build());
            assertEquals(0, flood.status());
            assertTrue(flood.stderr().endsWith("[stderr truncated]\n"),
                    flood.stderr().substring(Math.max(0, flood.stderr().length() - 200)));
            assertTrue(flood.stderr().length() < 300_000);

            ExifToolResult after = pool.execute(json(JPG));
            assertEquals("", after.stderr());
            assertEquals(r.pid(), after.pid());
        }
    }

    /** stderr is a file nobody else can open and nothing leaves behind, emptied once a command has filled it. */
    @ParameterizedTest
    @EnumSource(ExifToolPool.Mode.class)
    void stderrIsADeletedFileEmptiedAfterAFlood(ExifToolPool.Mode mode) throws Exception {
        try (ExifToolPool pool = pool(TestSupport.settings(1), mode)) {
            ExifToolResult first = pool.execute(json(JPG));
            Path stderr = Path.of("/proc", Long.toString(first.pid()), "fd", "2");
            String target = Files.readSymbolicLink(stderr).toString();
            assertTrue(target.contains("exifq-exiftool-") && target.endsWith(" (deleted)"), target);
            assertFalse(Files.exists(Path.of(target.substring(0, target.length() - " (deleted)".length()))), target);

            ExifToolResult flood = pool.execute(ExifToolTask.builder()
                    .option("-if", "print STDERR ('x' x 99) . qq(\\n) for 1..20000; 1")
                    .option("-json").file(JPG).build());
            assertTrue(flood.stderr().endsWith("[stderr truncated]\n"));
            assertEquals(0, Files.size(stderr), "2 MB of stderr left in the file after its command");

            ExifToolResult next = pool.execute(ExifToolTask.builder()
                    .option("-if", "print STDERR qq(one line\\n); 1").option("-json").file(JPG).build());
            assertEquals("one line\n", next.stderr());
            assertEquals(0, next.status());
            assertEquals(first.pid(), next.pid());
        }
    }

    /** A command that writes stderr without end is killed long before its deadline, not left to fill the disk. */
    @Test
    void aStderrFloodWithoutEndIsKilledNotStored() {
        ExifToolSettings settings = TestSupport.settings(1).withTaskTimeout(Duration.ofSeconds(60)).withRetries(0);
        try (ExifToolPool pool = pool(settings, ExifToolPool.Mode.STAY_OPEN)) {
            long started = System.nanoTime();
            ExifToolException e = assertThrows(ExifToolException.class, () -> pool.execute(ExifToolTask.builder()
                    .option("-if", "print STDERR ('x' x 1023) . qq(\\n) while 1; 1").option("-json").file(JPG).build()));
            assertInstanceOf(ExifToolProcessDiedException.class, e, e.toString());
            assertTrue(System.nanoTime() - started < TimeUnit.SECONDS.toNanos(30), "killed only after "
                    + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started) + " ms");
            assertEquals(0, pool.stats().timeouts());
            assertEquals(0, pool.execute(json(JPG)).status());
        }
    }

    @ParameterizedTest
    @EnumSource(ExifToolPool.Mode.class)
    void binaryOutputIsReturnedByteForByte(ExifToolPool.Mode mode) throws Exception {
        Process cli = new ProcessBuilder("perl", TestSupport.exiftool().toString(), "-b", "-ThumbnailImage",
                JPG.toString()).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        byte[] expected;
        try (InputStream in = cli.getInputStream()) {
            expected = in.readAllBytes();
        }
        assertTrue(cli.waitFor(60, TimeUnit.SECONDS));
        assertTrue(expected.length > 1000);
        try (ExifToolPool pool = pool(TestSupport.settings(1), mode)) {
            byte[] actual = pool.execute(ExifToolTask.builder().option("-b").option("-ThumbnailImage").file(JPG)
                    .build()).stdout();
            assertArrayEquals(expected, actual);
        }
    }

    @ParameterizedTest
    @EnumSource(ExifToolPool.Mode.class)
    void outputOverTheCapFailsOnlyThatTask(ExifToolPool.Mode mode) {
        try (ExifToolPool pool = pool(TestSupport.settings(1), mode)) {
            pool.execute(json(JPG));
            ExifToolTask big = ExifToolTask.builder().option("-json").option("-g").file(JPG).maxOutputBytes(100)
                    .build();
            ExifToolException e = assertThrows(ExifToolException.class, () -> pool.execute(big));
            assertFalse(e instanceof ExifToolTimeoutException || e instanceof ExifToolProcessDiedException, e.toString());
            assertTrue(e.getMessage().contains("exceeds 100 bytes"), e.getMessage());
            ExifToolResult r = pool.execute(json(JPG));
            assertEquals(0, r.status());
            assertEquals(1, pool.stats().liveProcesses());
        }
    }

    @Test
    void closeStopsEveryProcess() throws Exception {
        ExifToolPool pool = new ExifToolPool(TestSupport.settings(2));
        CompletableFuture<ExifToolResult> a = CompletableFuture.supplyAsync(() -> pool.execute(json(JPG)));
        CompletableFuture<ExifToolResult> b = CompletableFuture.supplyAsync(() -> pool.execute(json(JPG)));
        a.get(60, TimeUnit.SECONDS);
        b.get(60, TimeUnit.SECONDS);
        List<Long> pids = pool.processIds();
        assertTrue(!pids.isEmpty() && pids.size() <= 2, pids.toString());
        pool.close();
        pool.close();
        for (long pid : pids) {
            TestSupport.waitUntilDead(pid, Duration.ofSeconds(10));
        }
        assertTrue(pool.stats().closed());
        assertEquals(0, pool.stats().liveProcesses());
        assertThrows(IllegalStateException.class, () -> pool.execute(json(JPG)));
    }

    @Test
    void aMissingExiftoolFailsClearly() {
        ExifToolSettings settings = TestSupport.settings(1).withTaskTimeout(Duration.ofSeconds(5));
        ExifToolSettings broken = new ExifToolSettings(Path.of("/nonexistent/exiftool"), 1,
                settings.maxTasksPerProcess(), settings.taskTimeout(), settings.retries(), settings.acquireTimeout(),
                settings.maxResidentBytes());
        for (ExifToolPool.Mode mode : ExifToolPool.Mode.values()) {
            try (ExifToolPool pool = pool(broken, mode)) {
                ExifToolException e = assertThrows(ExifToolException.class, () -> pool.execute(json(JPG)));
                assertTrue(e.getMessage().contains("did not start"), e.getMessage());
                assertEquals(0, pool.stats().liveProcesses());
            }
        }
    }
}
