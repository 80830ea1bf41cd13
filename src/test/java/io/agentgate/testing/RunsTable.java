package io.agentgate.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * Assertions on the gateway's {@code runs} table for tests that share one gateway: clear it before
 * each test, then assert the one run the test made and how it ended.
 */
public final class RunsTable {

    private RunsTable() {}

    public static void clear(TestGateway gateway) throws SQLException, InterruptedException {
        gateway.awaitRunsWritten(); // an earlier test's records, written behind its requests, go first
        try (Connection c = gateway.db(); Statement st = c.createStatement()) {
            st.executeUpdate("DELETE FROM runs");
        }
    }

    /**
     * Waits (up to 10 s; runs end on the agent thread, a moment after the client read its answer)
     * until every run has ended, then asserts there was exactly one and that it ended so.
     */
    public static void assertOnlyRun(TestGateway gateway, String outcome) throws Exception {
        Await.until("every run ended", () -> {
            List<String> outcomes = gateway.runOutcomes();
            return !outcomes.isEmpty() && !outcomes.contains("running");
        });
        assertEquals(List.of(outcome), gateway.runOutcomes(), "runs table outcomes");
    }
}
