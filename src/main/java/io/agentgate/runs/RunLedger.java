package io.agentgate.runs;

import io.agentgate.chat.Usage;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code runs} table. A lost ledger write must not fail the client's request, so database
 * errors are logged and swallowed here, and only here.
 */
final class RunLedger {

    private static final Logger log = LoggerFactory.getLogger(RunLedger.class);
    private static final int MAX_ERROR_CHARS = 1000;

    private final DataSource dataSource;

    RunLedger(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    void started(RunStart run) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement st = c.prepareStatement(
                     "INSERT INTO runs (run_id, session_key, session_id, model, streaming) VALUES (?, ?, ?, ?, ?)")) {
            st.setObject(1, run.runId());
            st.setString(2, run.sessionKey());
            st.setObject(3, run.sessionId());
            st.setString(4, run.model());
            st.setBoolean(5, run.streaming());
            st.executeUpdate();
        } catch (SQLException e) {
            log.warn("Could not record the start of run {}: {}", run.runId(), e.getMessage());
        }
    }

    void ended(RunStart run, String outcome, String errorMessage, Usage usage) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement st = c.prepareStatement(
                     "UPDATE runs SET ended_at = now(), outcome = ?, error_message = ?,"
                             + " prompt_tokens = ?, completion_tokens = ? WHERE run_id = ?")) {
            st.setString(1, outcome);
            st.setString(2, errorMessage == null || errorMessage.length() <= MAX_ERROR_CHARS
                    ? errorMessage : errorMessage.substring(0, MAX_ERROR_CHARS));
            st.setInt(3, usage.promptTokens());
            st.setInt(4, usage.completionTokens());
            st.setObject(5, run.runId());
            st.executeUpdate();
        } catch (SQLException e) {
            log.warn("Could not record the end of run {} ({}): {}", run.runId(), outcome, e.getMessage());
        }
    }
}
