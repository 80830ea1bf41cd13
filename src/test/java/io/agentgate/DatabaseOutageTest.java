package io.agentgate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agentgate.testing.ContainerProcess;
import io.agentgate.testing.TestGateway;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The database away while the gateway runs: readiness says so within a second, a request fails
 * within a bounded time with 503 {@code database_unavailable} (never a 200 without its run), and the
 * gateway recovers by itself when the database is back, its embedded PostgreSQL restarted if it died.
 */
class DatabaseOutageTest {

    /** AGENTGATE_DB_TIMEOUT_SECONDS in these tests: the bound on a request's wait for the database. */
    private static final Duration DB_TIMEOUT = Duration.ofSeconds(1);
    /** The bound asserted: the timeout, a validation of a pooled connection, and a margin for a busy machine. */
    private static final long FAILS_WITHIN_MILLIS = 4 * DB_TIMEOUT.toMillis();

    @TempDir
    Path dataDir;

    @Test
    void startsWithoutItsDatabaseAndBecomesReadyWhenItComes() throws Exception {
        int port = ContainerProcess.freePort();
        try (TestGateway gateway = TestGateway.startWithoutWaitingForTheDatabase(Map.of(
                "AGENTGATE_DB_URL", "jdbc:postgresql://localhost:" + port + "/postgres",
                "AGENTGATE_DB_TIMEOUT_SECONDS", String.valueOf(DB_TIMEOUT.toSeconds())))) {
            assertEquals(200, timed(() -> gateway.get("/health"), 1_000).statusCode());
            assertEquals(503, timed(() -> gateway.get("/health/ready"), 1_000).statusCode());
            assertDatabaseUnavailable(gateway, false);
            assertDatabaseUnavailable(gateway, true);
            assertTrue(gateway.get("/metrics").body().contains("agentgate_runs_total{outcome=\"database_unavailable\"} 2.0"),
                    "refused turns are counted by their failure kind");

            try (EmbeddedPostgres database = EmbeddedPostgres.builder().setPort(port).start()) {
                awaitReady(gateway, Duration.ofSeconds(30));
                HttpResponse<String> answer = chat(gateway, false);
                assertEquals(200, answer.statusCode(), answer.body());
                assertEquals(List.of("completed"), gateway.runOutcomes(), "only the answered request has a run");
            }
        }
    }

    @Test
    void embeddedPostgresStalledThenKilledUnderARunningGateway() throws Exception {
        try (TestGateway gateway = TestGateway.start(Map.of(
                "AGENTGATE_DATA_DIR", dataDir.toString(),
                "AGENTGATE_DB_TIMEOUT_SECONDS", String.valueOf(DB_TIMEOUT.toSeconds())))) {
            assertEquals(200, chat(gateway, false).statusCode());
            long postmaster = postmasterPid();

            // Stalled: every postgres process stopped (SIGSTOP), as a frozen host or a full disk looks.
            signal("STOP", postmaster);
            try {
                awaitReadiness(gateway, 503, Duration.ofSeconds(3));
                assertDatabaseUnavailable(gateway, false);
                assertDatabaseUnavailable(gateway, true);
            } finally {
                signal("CONT", postmaster);
            }
            awaitReady(gateway, Duration.ofSeconds(15));
            assertEquals(200, chat(gateway, true).statusCode());

            // Dead: the postmaster killed; the gateway starts it again on its own.
            ProcessHandle.of(postmaster).orElseThrow().destroyForcibly();
            awaitReadiness(gateway, 503, Duration.ofSeconds(3));
            awaitReady(gateway, Duration.ofSeconds(30));
            assertNotEquals(postmaster, postmasterPid(), "a new postmaster runs");
            HttpResponse<String> answer = chat(gateway, false);
            assertEquals(200, answer.statusCode(), answer.body());
            assertEquals(0, gateway.countRuns("running"), "no run is left open: " + gateway.runOutcomes());
            assertEquals(3, gateway.countRuns("completed"), "each answered request has its run: " + gateway.runOutcomes());
        }
    }

    /**
     * A session turn whose claim reached the database just as it froze: the client is told 503, and
     * once the database wakes the claim must not have taken effect. Its statements were already
     * sent; only the COMMIT, sent after they answer, keeps them from holding the session's lease for
     * a run that never ran (the client's retry would get 409 until the lease expired).
     */
    @Test
    void aSessionTurnCutByAStallLeavesNoLeaseBehind() throws Exception {
        try (TestGateway gateway = TestGateway.start(Map.of(
                "AGENTGATE_DATA_DIR", dataDir.toString(),
                "AGENTGATE_DB_TIMEOUT_SECONDS", String.valueOf(DB_TIMEOUT.toSeconds())))) {
            String key = "stalled-claim";
            HttpResponse<String> first = sessionChat(gateway, key, "first");
            assertEquals(200, first.statusCode(), first.body());
            long postmaster = postmasterPid();

            signal("STOP", postmaster);
            HttpResponse<String> cut;
            try {
                // At once, before the monitor notices: the claim goes to the frozen server.
                cut = timed(() -> sessionChat(gateway, key, "during the stall"), FAILS_WITHIN_MILLIS);
            } finally {
                signal("CONT", postmaster);
            }
            assertEquals(503, cut.statusCode(), cut.body());
            assertTrue(cut.body().contains("\"code\":\"database_unavailable\""), cut.body());
            awaitReady(gateway, Duration.ofSeconds(15));

            HttpResponse<String> retry = sessionChat(gateway, key, "after the stall");
            assertEquals(200, retry.statusCode(), retry.body());
            assertFalse(retry.body().contains("Session reset"), "the session went on, not suspended: " + retry.body());
            String session = gateway.get("/v1/sessions/" + key).body();
            assertTrue(session.contains("\"message_count\":4"), "two turns stored, the cut one not: " + session);
        }
    }

    private static HttpResponse<String> sessionChat(TestGateway gateway, String key, String text) throws Exception {
        return gateway.postJson("/v1/chat/completions", "{\"model\":\"demo\",\"messages\":[{\"role\":\"user\","
                + "\"content\":\"" + text + "\"}]}", "X-Session-Key", key);
    }

    /** A turn during the outage: 503 database_unavailable within the bound, streaming or not. */
    private static void assertDatabaseUnavailable(TestGateway gateway, boolean streaming) throws Exception {
        HttpResponse<String> refused = timed(() -> chat(gateway, streaming), FAILS_WITHIN_MILLIS);
        assertEquals(503, refused.statusCode(), refused.body());
        assertTrue(refused.body().contains("\"code\":\"database_unavailable\""), refused.body());
        assertEquals("1", refused.headers().firstValue("Retry-After").orElse(null), "a 503 says when to retry");
    }

    private static HttpResponse<String> chat(TestGateway gateway, boolean streaming) throws Exception {
        return gateway.postJson("/v1/chat/completions", "{\"model\":\"demo\",\"stream\":" + streaming
                + ",\"messages\":[{\"role\":\"user\",\"content\":\"during an outage\"}]}");
    }

    private static void awaitReady(TestGateway gateway, Duration timeout) throws Exception {
        awaitReadiness(gateway, 200, timeout);
    }

    /** Polls readiness until it answers {@code status}; every answer must come within a second. */
    private static void awaitReadiness(TestGateway gateway, int status, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        int last;
        do {
            last = timed(() -> gateway.get("/health/ready"), 1_000).statusCode();
            if (last == status) {
                return;
            }
            Thread.sleep(50);
        } while (System.nanoTime() < deadline);
        throw new AssertionError("readiness still " + last + " after " + timeout + ", expected " + status);
    }

    private interface Call<T> {
        T call() throws Exception;
    }

    private static <T> T timed(Call<T> call, long withinMillis) throws Exception {
        long start = System.nanoTime();
        T result = call.call();
        long took = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertTrue(took <= withinMillis, "answered in " + took + " ms, bound " + withinMillis + " ms");
        return result;
    }

    private long postmasterPid() throws Exception {
        return Long.parseLong(Files.readAllLines(dataDir.resolve("pg").resolve("postmaster.pid")).getFirst().strip());
    }

    /** Sends {@code kill -SIG} to the postmaster and every backend it forked. */
    private static void signal(String name, long postmaster) throws Exception {
        List<String> pids = Stream.concat(Stream.of(postmaster),
                ProcessHandle.of(postmaster).orElseThrow().descendants().map(ProcessHandle::pid))
                .map(String::valueOf).toList();
        List<String> command = Stream.concat(Stream.of("kill", "-" + name), pids.stream()).toList();
        Process kill = new ProcessBuilder(command).inheritIO().start();
        assertTrue(kill.waitFor(10, TimeUnit.SECONDS) && kill.exitValue() == 0, String.join(" ", command));
    }
}
