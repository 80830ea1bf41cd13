package io.agentgate.session;

import io.agentgate.chat.Message;
import io.agentgate.chat.StorableText;
import io.agentgate.api.Json;
import io.agentgate.chat.ToolCall;
import io.agentgate.chat.Usage;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Predicate;
import javax.sql.DataSource;

/**
 * The sessions tables over JDBC. Every public method is one short transaction; every value is a
 * bound parameter. Busy-ness lives in the row (a lease), so several gateway instances on one
 * database see the same truth.
 */
final class SessionStore {

    private static final String STATE_COLUMNS = """
            s.session_key, s.session_id, s.suspended, s.memory_flushed, s.created_at, s.updated_at,
            s.last_reset_reason, s.prompt_tokens, s.completion_tokens,
            (s.running_run_id IS NOT NULL AND s.lease_until >= now()) AS running,
            (s.running_run_id IS NOT NULL AND s.lease_until < now()) AS lease_expired,
            now() AS db_now,
            """;
    private static final String MESSAGE_COUNT =
            "(SELECT count(*) FROM session_messages m WHERE m.session_id = s.session_id) AS message_count";
    /** A claim only asks whether there is a transcript: one index probe, not a count of it every turn. */
    private static final String HAS_MESSAGES = "(SELECT count(*) FROM (SELECT 1 FROM session_messages m"
            + " WHERE m.session_id = s.session_id LIMIT 1) one) AS message_count";

    private static final String TRANSCRIPT_SQL = """
            SELECT message_id, role, content, tool_calls::text, tool_call_id FROM session_messages
             WHERE session_id = ? ORDER BY message_id""";
    private static final String MEMORY_NOTES = """
            SELECT notes FROM (SELECT memory_id, notes FROM session_memory WHERE session_key = ?
                                ORDER BY memory_id DESC LIMIT ?) newest ORDER BY memory_id""";

    private final DataSource dataSource;

    SessionStore(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** A live instance: its row's expiry, pushed forward by its heartbeat, is not past. */
    private static final String LIVE_OWNER = """
            EXISTS (SELECT 1 FROM instances i WHERE i.instance_id = s.running_owner AND i.expires_at >= now())""";
    /**
     * A lease nobody will end: held for a run of this instance's previous life (it is starting, so
     * every lease in its name is from before), or expired with no live instance owning it.
     */
    private static final String ABANDONED_LEASE = """
            s.running_run_id IS NOT NULL
            AND (s.running_owner = ? OR (s.lease_until < now() AND NOT\s""" + LIVE_OWNER + "))";

    /**
     * Adds this instance to the live ones ({@code instances}), replacing the row of its previous life.
     * Returns whether that row was still live: a restart within a lease after a crash, or, when it
     * repeats, another running gateway with the same id.
     */
    boolean register(String instanceId, UUID incarnation, Duration lease) {
        return transaction(c -> {
            boolean wasLive;
            try (PreparedStatement st = c.prepareStatement(
                    "SELECT expires_at >= now() FROM instances WHERE instance_id = ? FOR UPDATE")) {
                st.setString(1, instanceId);
                try (ResultSet rs = st.executeQuery()) {
                    wasLive = rs.next() && rs.getBoolean(1);
                }
            }
            try (PreparedStatement st = c.prepareStatement("""
                    INSERT INTO instances (instance_id, incarnation, expires_at)
                    VALUES (?, ?, now() + make_interval(secs => ?))
                    ON CONFLICT (instance_id) DO UPDATE SET incarnation = excluded.incarnation,
                           started_at = now(), expires_at = excluded.expires_at""")) {
                st.setString(1, instanceId);
                st.setObject(2, incarnation);
                st.setDouble(3, lease.toMillis() / 1000.0);
                st.executeUpdate();
            }
            return wasLive;
        });
    }

    /** Removes this instance from the live ones (a clean stop), unless another life of it took the row. */
    void deregister(String instanceId, UUID incarnation) {
        transaction(c -> {
            try (PreparedStatement st = c.prepareStatement(
                    "DELETE FROM instances WHERE instance_id = ? AND incarnation = ?")) {
                st.setString(1, instanceId);
                st.setObject(2, incarnation);
                return st.executeUpdate();
            }
        });
    }

    /**
     * Start-up suspension, in one transaction (see {@link StartupSuspension}): sessions whose lease
     * was abandoned (in flight on this instance's previous life, or expired with no live owner) are
     * suspended and their leases cleared; when no other instance is live, sessions touched within
     * {@code window} are suspended too, as they were before several instances shared a database.
     */
    StartupSuspension suspendAtStartup(String instanceId, Duration window) {
        return transaction(c -> {
            int othersLive;
            try (PreparedStatement st = c.prepareStatement(
                    "SELECT count(*) FROM instances WHERE instance_id <> ? AND expires_at >= now()")) {
                st.setString(1, instanceId);
                try (ResultSet rs = st.executeQuery()) {
                    rs.next();
                    othersLive = rs.getInt(1);
                }
            }
            int abandoned;
            try (PreparedStatement st = c.prepareStatement(
                    "UPDATE sessions s SET suspended = TRUE, running_run_id = NULL, running_owner = NULL,"
                            + " lease_until = NULL WHERE " + ABANDONED_LEASE)) {
                st.setString(1, instanceId);
                abandoned = st.executeUpdate();
            }
            int recent = 0;
            if (othersLive == 0) {
                try (PreparedStatement st = c.prepareStatement("""
                        UPDATE sessions s SET suspended = TRUE
                         WHERE s.updated_at >= now() - make_interval(secs => ?) AND NOT s.suspended
                           AND NOT (s.running_run_id IS NOT NULL AND s.lease_until >= now() AND\s""" + LIVE_OWNER + ")")) {
                    st.setDouble(1, window.toMillis() / 1000.0);
                    recent = st.executeUpdate();
                }
            }
            return new StartupSuspension(othersLive, abandoned, recent);
        });
    }

    Optional<SessionState> find(String key) {
        return transaction(c -> selectState(c, key));
    }

    /** The stored conversation a turn starts from: the key's newest memory notes and the session's transcript. */
    record StoredConversation(List<String> memoryNotes, List<Message> transcript) {}

    /** A claimed session row, and its conversation when the claim was asked to read it. */
    record Claimed(SessionState state, Optional<StoredConversation> conversation) {}

    /**
     * Takes the session's lease for {@code runId} unless a live lease is held. A lease past its expiry
     * (its instance died, or lost its database) is taken over and the session suspended: the turn it
     * was running is exactly what suspension is for. With {@code create} a missing row (new key, or
     * deleted by a DBA) is created first. With {@code readConversation} the memory notes and the
     * transcript are read too, and kept when it accepts the claimed state. Empty when busy (or
     * missing and not created).
     *
     * <p>Two round trips: the statements go to the server together (pgjdbc sends a multi-statement
     * query as one pipeline), so each one's condition is written in SQL on the row the SELECT
     * locked; then the COMMIT. A claim used to be five statements and a COMMIT, six round trips.
     * The COMMIT stays a round trip of its own on purpose: sent in one go in autocommit, a claim
     * that reached a frozen database ran when it woke, after the gateway had answered 503, and
     * held the session's lease for a run that did not exist (the client's retry got 409 until
     * the lease expired). Without its COMMIT the transaction idles, and the server ends it after
     * {@code idle_in_transaction_session_timeout}.
     */
    Optional<Claimed> claim(String key, boolean create, UUID runId, String owner, Duration lease,
                            Predicate<SessionState> readConversation, int memoryNotes) {
        StringBuilder sql = new StringBuilder();
        if (create) {
            sql.append("INSERT INTO sessions (session_key, session_id) VALUES (?, ?) ON CONFLICT (session_key) DO NOTHING;\n");
        }
        sql.append("SELECT ").append(STATE_COLUMNS).append(HAS_MESSAGES)
                .append(" FROM sessions s WHERE s.session_key = ? FOR UPDATE;\n");
        sql.append("""
                UPDATE sessions s SET running_run_id = ?, running_owner = ?,
                       lease_until = now() + make_interval(secs => ?),
                       suspended = s.suspended OR (s.running_run_id IS NOT NULL AND s.lease_until < now())
                 WHERE s.session_key = ? AND NOT (s.running_run_id IS NOT NULL AND s.lease_until >= now())""");
        if (readConversation != null) {
            sql.append(";\n").append(MEMORY_NOTES).append(";\n").append(TRANSCRIPT_SQL.replace(
                    "session_id = ?", "session_id = (SELECT session_id FROM sessions WHERE session_key = ?)"));
        }
        return transaction(c -> {
            try (PreparedStatement st = c.prepareStatement(sql.toString())) {
                int p = 1;
                if (create) {
                    st.setString(p++, key);
                    st.setObject(p++, UUID.randomUUID());
                }
                st.setString(p++, key);
                st.setObject(p++, runId);
                st.setString(p++, owner);
                st.setDouble(p++, lease.toMillis() / 1000.0);
                st.setString(p++, key);
                if (readConversation != null) {
                    st.setString(p++, key);
                    st.setInt(p++, memoryNotes);
                    st.setString(p++, key);
                }
                st.execute();
                if (create) {
                    st.getMoreResults(); // past the INSERT's count
                }
                Optional<SessionState> state;
                try (ResultSet rs = st.getResultSet()) {
                    state = rs.next() ? Optional.of(state(rs)) : Optional.empty();
                }
                st.getMoreResults();
                boolean claimedNow = st.getUpdateCount() == 1;
                if (state.isEmpty() || state.get().running() || !claimedNow) {
                    return Optional.empty();
                }
                SessionState claimed = state.get().leaseExpired() ? state.get().takenOver() : state.get();
                Optional<StoredConversation> conversation = Optional.empty();
                if (readConversation != null) {
                    st.getMoreResults();
                    List<String> notes = new ArrayList<>();
                    try (ResultSet rs = st.getResultSet()) {
                        while (rs.next()) {
                            notes.add(rs.getString(1));
                        }
                    }
                    st.getMoreResults();
                    List<Message> transcript;
                    try (ResultSet rs = st.getResultSet()) {
                        transcript = messages(rs);
                    }
                    if (readConversation.test(claimed)) {
                        conversation = Optional.of(new StoredConversation(notes, transcript));
                    }
                }
                return Optional.of(new Claimed(claimed, conversation));
            }
        });
    }

    /**
     * One heartbeat of this instance, in one transaction: keeps it live, extends the leases of its
     * runs, and suspends sessions whose lease expired with no live owner (clearing the lease, so the
     * next request needs no takeover). Returns the runs a /stop took the lease from, and whether the
     * instance row was still this life's.
     */
    Heartbeat heartbeat(String instanceId, UUID incarnation, Collection<UUID> runIds, Duration lease) {
        return transaction(c -> {
            double seconds = lease.toMillis() / 1000.0;
            boolean own;
            try (PreparedStatement st = c.prepareStatement("""
                    INSERT INTO instances (instance_id, incarnation, expires_at)
                    VALUES (?, ?, now() + make_interval(secs => ?))
                    ON CONFLICT (instance_id) DO UPDATE SET expires_at = excluded.expires_at
                     WHERE instances.incarnation = excluded.incarnation""")) {
                st.setString(1, instanceId);
                st.setObject(2, incarnation);
                st.setDouble(3, seconds);
                own = st.executeUpdate() == 1;
            }
            Set<UUID> stopped = Set.of();
            if (!runIds.isEmpty()) {
                Array ids = c.createArrayOf("uuid", runIds.toArray());
                try (PreparedStatement st = c.prepareStatement("""
                        UPDATE sessions SET lease_until = now() + make_interval(secs => ?), updated_at = now()
                         WHERE running_run_id = ANY (?)""")) {
                    st.setDouble(1, seconds);
                    st.setArray(2, ids);
                    st.executeUpdate();
                }
                try (PreparedStatement st = c.prepareStatement(
                        "SELECT stopped_run_id FROM sessions WHERE stopped_run_id = ANY (?)")) {
                    st.setArray(1, ids);
                    stopped = Set.copyOf(firstColumn(st, UUID.class));
                }
            }
            int abandoned;
            try (PreparedStatement st = c.prepareStatement(
                    "UPDATE sessions s SET suspended = TRUE, running_run_id = NULL, running_owner = NULL,"
                            + " lease_until = NULL WHERE " + ABANDONED_LEASE + " AND s.running_owner <> ?")) {
                // Not this instance's own leases: those are alive (it is beating).
                st.setString(1, instanceId);
                st.setString(2, instanceId);
                abandoned = st.executeUpdate();
            }
            return new Heartbeat(stopped, own, abandoned);
        });
    }

    /** What one {@link #heartbeat} found. */
    record Heartbeat(Set<UUID> stopped, boolean ownRow, int abandonedSuspended) {}

    /**
     * /stop: suspends the session and takes the lease from its live run (the lock is released at
     * once, as the seed's hard stop does). Returns the stopped run, empty when nothing ran.
     */
    Optional<UUID> stop(String key) {
        return transaction(c -> {
            try (PreparedStatement st = c.prepareStatement("""
                    UPDATE sessions SET suspended = TRUE, stopped_run_id = running_run_id,
                           running_run_id = NULL, running_owner = NULL, lease_until = NULL, updated_at = now()
                     WHERE session_key = ? AND running_run_id IS NOT NULL AND lease_until >= now()
                    RETURNING stopped_run_id""")) {
                st.setString(1, key);
                Optional<UUID> stopped;
                try (ResultSet rs = st.executeQuery()) {
                    stopped = rs.next() ? Optional.of(rs.getObject(1, UUID.class)) : Optional.empty();
                }
                if (stopped.isPresent()) {
                    notifyStopped(c, stopped.get());
                }
                return stopped;
            }
        });
    }

    /**
     * Tells every instance listening ({@link StopListener}) that this run was stopped. Sent in the
     * stop's transaction: PostgreSQL delivers it at commit, never for a stop that rolled back.
     */
    private static void notifyStopped(Connection c, UUID runId) throws SQLException {
        try (PreparedStatement st = c.prepareStatement("SELECT pg_notify(?, ?)")) {
            st.setString(1, StopListener.CHANNEL);
            st.setString(2, runId.toString());
            st.execute();
        }
    }

    /**
     * Ends a run's lease if it still holds it; {@code touch} counts the end as activity, {@code suspend}
     * suspends the session (its turn was cut by this instance stopping).
     */
    void release(String key, UUID runId, boolean touch, boolean suspend) {
        transaction(c -> {
            try (PreparedStatement st = c.prepareStatement("""
                    UPDATE sessions SET running_run_id = NULL, running_owner = NULL, lease_until = NULL,
                           updated_at = CASE WHEN ? THEN now() ELSE updated_at END, suspended = suspended OR ?
                     WHERE session_key = ? AND running_run_id = ?""")) {
                st.setBoolean(1, touch);
                st.setBoolean(2, suspend);
                st.setString(3, key);
                st.setObject(4, runId);
                return st.executeUpdate();
            }
        });
    }

    /**
     * Stores the condensed notes of {@code sessionId} and marks it flushed, both or neither, and only
     * if it is still the key's current, unflushed session. False when someone else flushed it.
     */
    boolean storeMemory(String key, UUID sessionId, String notes) {
        return transaction(c -> {
            try (PreparedStatement st = c.prepareStatement("""
                    UPDATE sessions SET memory_flushed = TRUE
                     WHERE session_key = ? AND session_id = ? AND NOT memory_flushed""")) {
                st.setString(1, key);
                st.setObject(2, sessionId);
                if (st.executeUpdate() == 0) {
                    return false;
                }
            }
            try (PreparedStatement st = c.prepareStatement("""
                    INSERT INTO session_memory (session_key, source_session_id, notes) VALUES (?, ?, ?)
                    ON CONFLICT (source_session_id) DO NOTHING""")) {
                st.setString(1, key);
                st.setObject(2, sessionId);
                st.setString(3, StorableText.of(notes));
                return st.executeUpdate() == 1;
            }
        });
    }

    /** Starts a new session id for the key, provided {@code runId} still holds the lease. */
    boolean reset(String key, UUID runId, UUID newSessionId, ResetReason reason, boolean hadActivity) {
        return transaction(c -> {
            try (PreparedStatement st = c.prepareStatement("""
                    UPDATE sessions SET session_id = ?, suspended = FALSE, memory_flushed = FALSE,
                           last_reset_reason = ?, reset_had_activity = ?, prompt_tokens = 0,
                           completion_tokens = 0, updated_at = now()
                     WHERE session_key = ? AND running_run_id = ?""")) {
                st.setObject(1, newSessionId);
                st.setString(2, reason.code());
                st.setBoolean(3, hadActivity);
                st.setString(4, key);
                st.setObject(5, runId);
                return st.executeUpdate() == 1;
            }
        });
    }

    /**
     * Ends a successful turn: appends its messages to the transcript, adds its usage and releases
     * the lease, in one transaction. Nothing is appended when the run lost the lease (stopped) or
     * the row is gone (deleted by a DBA): that turn belongs to no live session any more.
     */
    boolean finishTurn(String key, UUID sessionId, UUID runId, List<Message> messages, Usage usage) {
        // One statement (the append only happens through the release), then its COMMIT: see claim().
        return transaction(c -> {
            try (PreparedStatement st = c.prepareStatement("""
                    WITH released AS (
                        UPDATE sessions SET running_run_id = NULL, running_owner = NULL, lease_until = NULL,
                               updated_at = now(), prompt_tokens = prompt_tokens + ?,
                               completion_tokens = completion_tokens + ?
                         WHERE session_key = ? AND session_id = ? AND running_run_id = ?
                        RETURNING session_id),
                    appended AS (
                        INSERT INTO session_messages (session_id, role, content, tool_calls, tool_call_id)
                        SELECT r.session_id, m.role, m.content, m.tool_calls::jsonb, m.tool_call_id
                          FROM released r,
                               unnest(?::text[], ?::text[], ?::text[], ?::text[])
                                   WITH ORDINALITY AS m(role, content, tool_calls, tool_call_id, position)
                         ORDER BY m.position
                        RETURNING 1)
                    SELECT (SELECT count(*) FROM released), (SELECT count(*) FROM appended)""")) {
                String[] roles = new String[messages.size()];
                String[] contents = new String[messages.size()];
                String[] toolCalls = new String[messages.size()];
                String[] toolCallIds = new String[messages.size()];
                for (int i = 0; i < messages.size(); i++) {
                    Message m = StorableText.of(messages.get(i));
                    roles[i] = m.role();
                    contents[i] = m.content();
                    toolCalls[i] = m.toolCalls() == null ? null : Json.write(m.toolCalls());
                    toolCallIds[i] = m.toolCallId();
                }
                st.setLong(1, usage == null ? 0 : usage.promptTokens());
                st.setLong(2, usage == null ? 0 : usage.completionTokens());
                st.setString(3, key);
                st.setObject(4, sessionId);
                st.setObject(5, runId);
                st.setArray(6, c.createArrayOf("text", roles));
                st.setArray(7, c.createArrayOf("text", contents));
                st.setArray(8, c.createArrayOf("text", toolCalls));
                st.setArray(9, c.createArrayOf("text", toolCallIds));
                try (ResultSet rs = st.executeQuery()) {
                    rs.next();
                    return rs.getLong(1) == 1;
                }
            }
        });
    }

    /** The stored messages of a session id, in order. */
    List<Message> transcript(UUID sessionId) {
        return transaction(c -> transcript(c, sessionId));
    }

    private static List<Message> transcript(Connection c, UUID sessionId) throws SQLException {
        try (PreparedStatement st = c.prepareStatement(TRANSCRIPT_SQL)) {
            st.setObject(1, sessionId);
            try (ResultSet rs = st.executeQuery()) {
                return messages(rs);
            }
        }
    }

    private static List<Message> messages(ResultSet rs) throws SQLException {
        List<Message> out = new ArrayList<>();
        while (rs.next()) {
            String toolCalls = rs.getString(4);
            out.add(new Message(rs.getString(2), rs.getString(3),
                    toolCalls == null ? null : List.of(Json.read(toolCalls, ToolCall[].class)), rs.getString(5)));
        }
        return out;
    }

    /** The newest notes of a key, oldest first. */
    List<String> memoryNotes(String key, int limit) {
        return transaction(c -> memoryNotes(c, key, limit));
    }

    private static List<String> memoryNotes(Connection c, String key, int limit) throws SQLException {
        try (PreparedStatement st = c.prepareStatement(MEMORY_NOTES)) {
            st.setString(1, key);
            st.setInt(2, limit);
            return firstColumn(st, String.class);
        }
    }

    /**
     * Keys whose current session has a transcript, is not flushed and is due for a reset
     * (suspended, or last touched before {@code cutoff}), and that nobody runs.
     */
    List<String> flushCandidates(Instant cutoff, int limit) {
        return transaction(c -> {
            try (PreparedStatement st = c.prepareStatement("""
                    SELECT s.session_key FROM sessions s
                     WHERE NOT s.memory_flushed
                       AND (s.suspended OR s.updated_at < ?)
                       AND (s.running_run_id IS NULL OR s.lease_until < now())
                       AND EXISTS (SELECT 1 FROM session_messages m WHERE m.session_id = s.session_id)
                     ORDER BY s.updated_at LIMIT ?""")) {
                st.setObject(1, OffsetDateTime.ofInstant(cutoff, java.time.ZoneOffset.UTC));
                st.setInt(2, limit);
                return firstColumn(st, String.class);
            }
        });
    }

    Instant now() {
        return transaction(c -> {
            try (PreparedStatement st = c.prepareStatement("SELECT now()");
                 ResultSet rs = st.executeQuery()) {
                rs.next();
                return instant(rs, 1);
            }
        });
    }

    /** The state as a view shows it, with the transcript's length (a claim only asks whether there is one). */
    private static Optional<SessionState> selectState(Connection c, String key) throws SQLException {
        try (PreparedStatement st = c.prepareStatement("SELECT " + STATE_COLUMNS + MESSAGE_COUNT
                + " FROM sessions s WHERE s.session_key = ?")) {
            st.setString(1, key);
            try (ResultSet rs = st.executeQuery()) {
                return rs.next() ? Optional.of(state(rs)) : Optional.empty();
            }
        }
    }

    private static SessionState state(ResultSet rs) throws SQLException {
        return new SessionState(
                rs.getString("session_key"),
                rs.getObject("session_id", UUID.class),
                rs.getBoolean("suspended"),
                rs.getBoolean("memory_flushed"),
                rs.getBoolean("running"),
                rs.getBoolean("lease_expired"),
                instant(rs, "created_at"),
                instant(rs, "updated_at"),
                ResetReason.fromCode(rs.getString("last_reset_reason")),
                rs.getInt("message_count"),
                rs.getLong("prompt_tokens"),
                rs.getLong("completion_tokens"),
                instant(rs, "db_now"));
    }

    private static <T> List<T> firstColumn(PreparedStatement st, Class<T> type) throws SQLException {
        List<T> out = new ArrayList<>();
        try (ResultSet rs = st.executeQuery()) {
            while (rs.next()) {
                out.add(rs.getObject(1, type));
            }
        }
        return out;
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        return rs.getObject(column, OffsetDateTime.class).toInstant();
    }

    private static Instant instant(ResultSet rs, int column) throws SQLException {
        return rs.getObject(column, OffsetDateTime.class).toInstant();
    }

    @FunctionalInterface
    private interface Work<T> {
        T run(Connection c) throws SQLException;
    }

    /**
     * One transaction. No interrupt reaches it: a turn's thread is interrupted only while its agent
     * runs ({@link io.agentgate.chat.Cancellation#interruptibly}), never while it talks to the database.
     */
    private <T> T transaction(Work<T> work) {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                T result = work.run(c);
                c.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new SessionStoreException(e);
        }
    }

    /** The database failed a session operation; the request fails with a server error. */
    static final class SessionStoreException extends RuntimeException {
        SessionStoreException(SQLException cause) {
            super("Session storage failed: " + cause.getMessage(), cause);
        }
    }
}
