package io.agentgate.runs;

import io.agentgate.chat.StorableText;
import io.agentgate.chat.FailureKind;
import io.agentgate.chat.Usage;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code runs} table. A run whose start cannot be recorded does not run (the caller refuses it as
 * {@code database_unavailable}); a lost end is reported to the caller, which then never tells the
 * client a success.
 */
final class RunLedger {

    private static final Logger log = LoggerFactory.getLogger(RunLedger.class);
    private static final int MAX_ERROR_CHARS = 1000;

    /** What an interrupted run's record says (no client saw it: its connection died with the instance). */
    static final String INTERRUPTED_MESSAGE = "The gateway instance running it went down before it ended.";

    private final DataSource dataSource;
    private final String instanceId;

    RunLedger(DataSource dataSource, String instanceId) {
        this.dataSource = dataSource;
        this.instanceId = instanceId;
    }

    /** Records the start; a run that cannot be recorded must not run (no answer without its record). */
    void started(RunStart run) throws SQLException {
        try (Connection c = dataSource.getConnection();
             PreparedStatement st = c.prepareStatement(
                     "INSERT INTO runs (run_id, session_key, session_id, model, streaming, instance_id)"
                             + " VALUES (?, ?, ?, ?, ?, ?)")) {
            st.setObject(1, run.runId());
            st.setString(2, run.sessionKey());
            st.setObject(3, run.sessionId());
            st.setString(4, run.model());
            st.setBoolean(5, run.streaming());
            st.setString(6, instanceId);
            st.executeUpdate();
        } catch (SQLException e) {
            log.warn("Could not record the start of run {}: {}", run.runId(), e.getMessage());
            throw e;
        }
    }

    /**
     * Closes as interrupted the open runs of instances that are not live (their row expired or is
     * gone), and with {@code ownToo} this instance's own (at start-up they are from its previous life).
     * Runs from before instances were recorded (no instance) are left to the DBA cleanup. Returns how
     * many it closed.
     */
    int closeOrphaned(boolean ownToo) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement st = c.prepareStatement("""
                     UPDATE runs r SET ended_at = now(), outcome = ?, error_message = ?
                      WHERE r.outcome IS NULL AND r.instance_id IS NOT NULL
                        AND (CASE WHEN r.instance_id = ? THEN ?
                                  ELSE NOT EXISTS (SELECT 1 FROM instances i WHERE i.instance_id = r.instance_id
                                                     AND i.expires_at >= now()) END)""")) {
            st.setString(1, FailureKind.INTERRUPTED.code());
            st.setString(2, INTERRUPTED_MESSAGE);
            st.setString(3, instanceId);
            st.setBoolean(4, ownToo);
            int closed = st.executeUpdate();
            if (closed > 0) {
                log.info("Closed {} run(s) left open by a gateway instance that went down as {}", closed,
                        FailureKind.INTERRUPTED.code());
            }
            return closed;
        } catch (SQLException e) {
            log.warn("Could not close the runs of instances that went down: {}", e.getMessage());
            return 0;
        }
    }

    /** Records the end; false when the database did not take it (the row stays open for the interrupted sweep). */
    boolean ended(RunStart run, String outcome, String errorMessage, Usage usage) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement st = c.prepareStatement(
                     "UPDATE runs SET ended_at = now(), outcome = ?, error_message = ?,"
                             + " prompt_tokens = ?, completion_tokens = ? WHERE run_id = ?")) {
            st.setString(1, outcome);
            st.setString(2, StorableText.of(errorMessage == null || errorMessage.length() <= MAX_ERROR_CHARS
                    ? errorMessage : errorMessage.substring(0, MAX_ERROR_CHARS)));
            st.setInt(3, usage.promptTokens());
            st.setInt(4, usage.completionTokens());
            st.setObject(5, run.runId());
            st.executeUpdate();
            return true;
        } catch (SQLException e) {
            log.warn("Could not record the end of run {} ({}): {}", run.runId(), outcome, e.getMessage());
            return false;
        }
    }
}
