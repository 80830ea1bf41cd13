package io.agentgate.runs;

import io.agentgate.chat.FailureKind;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code runs} table's housekeeping: closing the runs that instances which went down left open.
 * Each run's own start and end are written behind the request by {@link RunWriter}. A failed
 * write here must not stop the gateway, so database errors are logged and swallowed.
 */
final class RunLedger {

    private static final Logger log = LoggerFactory.getLogger(RunLedger.class);

    /** What an interrupted run's record says (no client saw it: its connection died with the instance). */
    static final String INTERRUPTED_MESSAGE = "The gateway instance running it went down before it ended.";

    private final DataSource dataSource;
    private final String instanceId;

    RunLedger(DataSource dataSource, String instanceId) {
        this.dataSource = dataSource;
        this.instanceId = instanceId;
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
}
