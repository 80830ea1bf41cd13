package io.agentgate.runs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agentgate.chat.Usage;
import io.agentgate.testing.Await;
import io.agentgate.testing.TestGateway;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.PrintWriter;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/**
 * Run records are written behind the request (issue 16): a client's answer never waits on the runs
 * table, a database that cannot keep up costs records (counted) and never requests, and whatever
 * is queued is written before the writer stops.
 */
class RunRecordsBehindRequestTest {

    private static final String CHAT = """
            {"model":"demo","messages":[{"role":"user","content":"hello"}]}""";

    @Test
    void aClientIsAnsweredWhileTheRunsTableIsLockedAndTheRunIsRecordedOnceItIsFree() throws Exception {
        try (TestGateway gateway = TestGateway.start(Map.of("AGENTGATE_DEMO_WORD_DELAY_MS", "0"));
             Connection locker = gateway.db()) {
            locker.setAutoCommit(false);
            try (Statement st = locker.createStatement()) {
                st.execute("LOCK TABLE runs IN ACCESS EXCLUSIVE MODE"); // every write to runs now waits
            }
            HttpResponse<String> answer = assertTimeoutPreemptively(Duration.ofSeconds(20),
                    () -> gateway.postJson("/v1/chat/completions", CHAT));
            assertEquals(200, answer.statusCode(), answer.body());
            assertTrue(answer.body().contains("\"finish_reason\":\"stop\""), answer.body());
            locker.rollback();
            Await.until("the run recorded once the table is free",
                    () -> gateway.runOutcomes().equals(List.of("completed")));
            HttpResponse<String> metrics = gateway.get("/metrics");
            assertTrue(metrics.body().contains("agentgate_runs_records_dropped_total{reason=\"queue_full\"} 0.0"),
                    metrics.body());
        }
    }

    @Test
    void aFullQueueNeverBlocksAndCountsWhatItDropped() throws Exception {
        try (TestGateway gateway = TestGateway.start()) {
            DataSource real = gateway.gateway().database().dataSource();
            CountDownLatch databaseBack = new CountDownLatch(1);
            SimpleMeterRegistry registry = new SimpleMeterRegistry();
            RunWriter writer = new RunWriter(new StuckUntil(databaseBack, real), registry, "test-instance");
            int offered = RunWriter.CAPACITY + RunWriter.BATCH_ROWS + 500;
            List<UUID> ids = new ArrayList<>();
            // The database does not answer at all: if offering waited for it, this would never end.
            assertTimeoutPreemptively(Duration.ofSeconds(30), () -> {
                for (int i = 0; i < offered; i++) {
                    UUID id = UUID.randomUUID();
                    ids.add(id);
                    writer.started(new RunStart(id, null, null, "demo", false));
                }
            });
            double dropped = registry.get("agentgate.runs.records.dropped").tag("reason", "queue_full").counter().count();
            assertTrue(dropped >= 500, "dropped " + dropped + " of " + offered);
            databaseBack.countDown();
            assertTrue(writer.flush(Duration.ofSeconds(30)), "queued records written once the database is back");
            writer.close();
            assertEquals(offered - (long) dropped, countRuns(gateway, ids), "every record not dropped is written");
        }
    }

    @Test
    void recordsQueuedAtCloseAreWrittenAndARunEndedInTheSameBatchIsOneRow() throws Exception {
        try (TestGateway gateway = TestGateway.start()) {
            RunWriter writer = new RunWriter(gateway.gateway().database().dataSource(), new SimpleMeterRegistry(), "test-instance");
            UUID quick = UUID.randomUUID();
            UUID open = UUID.randomUUID();
            writer.started(new RunStart(quick, "k", null, "demo", true));
            writer.ended(quick, "completed", null, Usage.of(3, 4));
            writer.started(new RunStart(open, null, null, "demo", false));
            writer.close();
            try (Connection c = gateway.db(); PreparedStatement st = c.prepareStatement(
                    "SELECT coalesce(outcome, 'running'), prompt_tokens, completion_tokens, ended_at >= started_at"
                            + " FROM runs WHERE run_id = ?")) {
                st.setObject(1, quick);
                try (ResultSet rs = st.executeQuery()) {
                    assertTrue(rs.next(), "the ended run is written");
                    assertEquals("completed", rs.getString(1));
                    assertEquals(3, rs.getInt(2));
                    assertEquals(4, rs.getInt(3));
                    assertTrue(rs.getBoolean(4), "ended after it started");
                }
                st.setObject(1, open);
                try (ResultSet rs = st.executeQuery()) {
                    assertTrue(rs.next(), "the open run is written");
                    assertEquals("running", rs.getString(1));
                }
            }
        }
    }

    private static long countRuns(TestGateway gateway, List<UUID> ids) throws SQLException {
        try (Connection c = gateway.db();
             PreparedStatement st = c.prepareStatement("SELECT count(*) FROM runs WHERE run_id = ANY (?)")) {
            st.setArray(1, c.createArrayOf("uuid", ids.toArray()));
            try (ResultSet rs = st.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /** A pool whose every connection waits until the database is "back". */
    private record StuckUntil(CountDownLatch back, DataSource real) implements DataSource {
        @Override
        public Connection getConnection() throws SQLException {
            try {
                if (!back.await(60, TimeUnit.SECONDS)) {
                    throw new SQLException("database did not come back");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new SQLException(e);
            }
            return real.getConnection();
        }

        @Override
        public Connection getConnection(String user, String password) throws SQLException {
            return getConnection();
        }

        @Override
        public PrintWriter getLogWriter() {
            return null;
        }

        @Override
        public void setLogWriter(PrintWriter out) {}

        @Override
        public void setLoginTimeout(int seconds) {}

        @Override
        public int getLoginTimeout() {
            return 0;
        }

        @Override
        public Logger getParentLogger() throws SQLFeatureNotSupportedException {
            throw new SQLFeatureNotSupportedException();
        }

        @Override
        public <T> T unwrap(Class<T> iface) throws SQLException {
            throw new SQLException("not a wrapper");
        }

        @Override
        public boolean isWrapperFor(Class<?> iface) {
            return false;
        }
    }
}
