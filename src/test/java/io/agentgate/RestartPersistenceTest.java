package io.agentgate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agentgate.testing.TestGateway;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The default deployment: embedded PostgreSQL whose data directory outlives the process. */
class RestartPersistenceTest {

    @TempDir
    Path dataDir;

    @Test
    void sessionRowsSurviveARestartOnTheEmbeddedDatabase() throws Exception {
        UUID sessionId = UUID.randomUUID();
        Map<String, String> settings = Map.of("AGENTGATE_DATA_DIR", dataDir.toString());
        try (TestGateway first = TestGateway.start(settings);
             Connection c = first.db();
             PreparedStatement insert = c.prepareStatement(
                     "INSERT INTO sessions (session_key, session_id) VALUES (?, ?)")) {
            insert.setString(1, "restart-key");
            insert.setObject(2, sessionId);
            assertEquals(1, insert.executeUpdate());
        }
        try (TestGateway second = TestGateway.start(settings);
             Connection c = second.db();
             PreparedStatement select = c.prepareStatement("SELECT session_id FROM sessions WHERE session_key = ?")) {
            assertEquals(200, second.get("/health/ready").statusCode());
            select.setString(1, "restart-key");
            try (ResultSet rs = select.executeQuery()) {
                assertTrue(rs.next(), "the row written before the restart is still there");
                assertEquals(sessionId, rs.getObject(1, UUID.class));
            }
        }
    }
}
