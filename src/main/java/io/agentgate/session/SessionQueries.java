package io.agentgate.session;

import io.agentgate.api.JsonP;
import io.agentgate.api.MemoryNote;
import io.agentgate.api.SessionView;
import io.agentgate.api.TranscriptMessage;
import jakarta.json.JsonArray;
import jakarta.json.JsonReader;
import java.io.StringReader;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * Read-only views of the sessions tables for operators and the console: recent sessions, a
 * session's stored transcript and its memory notes. Every listing is keyset-paged (a page costs the
 * same however deep it is). Nothing here takes a lease or changes a row; the lifecycle is
 * {@link SessionService}'s.
 */
public final class SessionQueries {

    private final DataSource dataSource;

    public SessionQueries(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Where a page of sessions ends: the next holds those updated before it (key breaks ties). */
    public record SessionPosition(Instant updatedAt, String sessionKey) {

        public static SessionPosition of(SessionView session) {
            return new SessionPosition(Instant.parse(session.updatedAt()), session.sessionKey());
        }
    }

    /** A page of one session id's transcript. */
    public record Transcript(UUID sessionId, List<TranscriptMessage> messages) {}

    /** Thrown for a transcript cursor of a session id that is no longer the key's current one. */
    public static final class StaleCursorException extends RuntimeException {
        StaleCursorException() {
            super("The session was reset after this cursor was issued; list its transcript again without a cursor.");
        }
    }

    /** Sessions by last activity, most recent first. */
    public List<SessionView> recent(Optional<SessionPosition> after, int limit) {
        return query(c -> {
            String sql = """
                    SELECT s.session_key, s.session_id, s.suspended, s.created_at, s.updated_at,
                           s.last_reset_reason, s.prompt_tokens, s.completion_tokens,
                           (s.running_run_id IS NOT NULL AND s.lease_until >= now()) AS running,
                           (SELECT count(*) FROM session_messages m WHERE m.session_id = s.session_id) AS message_count
                      FROM sessions s"""
                    + (after.isPresent() ? " WHERE s.updated_at < ? OR (s.updated_at = ? AND s.session_key < ?)" : "")
                    + " ORDER BY s.updated_at DESC, s.session_key DESC LIMIT ?";
            try (PreparedStatement st = c.prepareStatement(sql)) {
                int i = 1;
                if (after.isPresent()) {
                    OffsetDateTime at = OffsetDateTime.ofInstant(after.get().updatedAt(), ZoneOffset.UTC);
                    st.setObject(i++, at);
                    st.setObject(i++, at);
                    st.setString(i++, after.get().sessionKey());
                }
                st.setInt(i, limit);
                List<SessionView> out = new ArrayList<>();
                try (ResultSet rs = st.executeQuery()) {
                    while (rs.next()) {
                        out.add(new SessionView(rs.getString("session_key"),
                                rs.getObject("session_id", UUID.class).toString(), rs.getBoolean("suspended"),
                                rs.getBoolean("running"), instant(rs, "updated_at").toString(),
                                instant(rs, "created_at").toString(), rs.getInt("message_count"),
                                rs.getString("last_reset_reason"), rs.getLong("prompt_tokens"),
                                rs.getLong("completion_tokens")));
                    }
                }
                return out;
            }
        });
    }

    /**
     * The key's current transcript in order, after message {@code afterMessageId} of session
     * {@code afterSession} when given. Empty when the key has no session.
     *
     * @throws StaleCursorException when {@code afterSession} is no longer the key's session id
     */
    public Optional<Transcript> transcript(String key, Optional<UUID> afterSession, long afterMessageId, int limit) {
        return query(c -> {
            Optional<UUID> current = currentSessionId(c, key);
            if (current.isEmpty()) {
                return Optional.empty();
            }
            UUID sessionId = current.get();
            if (afterSession.isPresent() && !afterSession.get().equals(sessionId)) {
                throw new StaleCursorException();
            }
            try (PreparedStatement st = c.prepareStatement("""
                    SELECT message_id, role, content, tool_calls::text, tool_call_id, created_at
                      FROM session_messages WHERE session_id = ? AND message_id > ?
                     ORDER BY message_id LIMIT ?""")) {
                st.setObject(1, sessionId);
                st.setLong(2, afterMessageId);
                st.setInt(3, limit);
                List<TranscriptMessage> out = new ArrayList<>();
                try (ResultSet rs = st.executeQuery()) {
                    while (rs.next()) {
                        out.add(new TranscriptMessage(rs.getLong(1), rs.getString(2), rs.getString(3),
                                jsonArray(rs.getString(4)), rs.getString(5), instant(rs, "created_at").toString()));
                    }
                }
                return Optional.of(new Transcript(sessionId, out));
            }
        });
    }

    /** The key's memory notes, newest first, older than {@code beforeMemoryId}. Empty without a session. */
    public Optional<List<MemoryNote>> memory(String key, long beforeMemoryId, int limit) {
        return query(c -> {
            if (currentSessionId(c, key).isEmpty()) {
                return Optional.empty();
            }
            try (PreparedStatement st = c.prepareStatement("""
                    SELECT memory_id, notes, source_session_id, created_at FROM session_memory
                     WHERE session_key = ? AND memory_id < ? ORDER BY memory_id DESC LIMIT ?""")) {
                st.setString(1, key);
                st.setLong(2, beforeMemoryId);
                st.setInt(3, limit);
                List<MemoryNote> out = new ArrayList<>();
                try (ResultSet rs = st.executeQuery()) {
                    while (rs.next()) {
                        out.add(new MemoryNote(rs.getLong(1), rs.getString(2),
                                rs.getObject(3, UUID.class).toString(), instant(rs, "created_at").toString()));
                    }
                }
                return Optional.of(out);
            }
        });
    }

    private static Optional<UUID> currentSessionId(Connection c, String key) throws SQLException {
        try (PreparedStatement st = c.prepareStatement("SELECT session_id FROM sessions WHERE session_key = ?")) {
            st.setString(1, key);
            try (ResultSet rs = st.executeQuery()) {
                return rs.next() ? Optional.of(rs.getObject(1, UUID.class)) : Optional.empty();
            }
        }
    }

    private static JsonArray jsonArray(String json) {
        if (json == null) {
            return null;
        }
        try (JsonReader reader = JsonP.PROVIDER.createReader(new StringReader(json))) {
            return reader.readArray();
        }
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        return rs.getObject(column, OffsetDateTime.class).toInstant();
    }

    @FunctionalInterface
    private interface Query<T> {
        T run(Connection c) throws SQLException;
    }

    /** One read-only transaction for the reads of one request. */
    private <T> T query(Query<T> work) {
        try (Connection c = dataSource.getConnection()) {
            c.setReadOnly(true);
            c.setAutoCommit(false);
            try {
                return work.run(c);
            } finally {
                c.rollback();
                c.setReadOnly(false);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Could not read sessions: " + e.getMessage(), e);
        }
    }
}
