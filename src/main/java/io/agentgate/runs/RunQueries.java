package io.agentgate.runs;

import io.agentgate.chat.FailureKind;
import io.agentgate.api.RunView;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Stream;
import javax.sql.DataSource;

/**
 * Read-only listing of the {@code runs} table for operators ({@code GET /v1/runs}): newest first,
 * filtered by outcome and session key, paged by position (keyset) so a page costs the same however
 * deep it is and runs that start meanwhile do not shift the pages. Uses {@code runs_started_at_idx}
 * and {@code runs_session_key_idx}.
 */
public final class RunQueries {

    /** Filter value for runs that have not ended ({@code outcome IS NULL}). */
    public static final String RUNNING = "running";
    /** Filter value for any failure kind (every outcome but completed and cancelled). */
    public static final String FAILED = "failed";
    private static final String COMPLETED = "completed";

    private static final String[] FAILURE_CODES = Arrays.stream(FailureKind.values())
            .filter(kind -> kind != FailureKind.CANCELLED)
            .map(FailureKind::code)
            .toArray(String[]::new);

    /** How long a listing waits for this instance's queued run records (read your own writes). */
    private static final Duration WRITTEN_WAIT = Duration.ofSeconds(2);

    private final DataSource dataSource;
    private final RunWriter writer;

    RunQueries(DataSource dataSource, RunWriter writer) {
        this.dataSource = dataSource;
        this.writer = writer;
    }

    /**
     * Run records are written behind the requests: a client that just got its answer and lists the
     * runs must see its run ended, so this instance's queue is written first (bounded wait).
     */
    private void awaitQueuedRecords() {
        try {
            writer.flush(WRITTEN_WAIT);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** What {@code outcome} may be: a stored outcome, {@value #RUNNING} or {@value #FAILED}. */
    public static List<String> outcomeFilters() {
        return Stream.concat(Stream.of(COMPLETED, FAILED, RUNNING),
                Arrays.stream(FailureKind.values()).map(FailureKind::code)).distinct().toList();
    }

    /** Empty fields match every run. */
    public record Filter(Optional<String> outcome, Optional<String> sessionKey) {}

    /** Where a page ends: the next page holds the runs strictly older than this one. */
    public record Position(Instant startedAt, UUID runId) {

        public static Position of(RunView run) {
            return new Position(Instant.parse(run.startedAt()), UUID.fromString(run.runId()));
        }
    }

    /** Up to {@code limit} runs, newest first, after {@code after} when given. */
    public List<RunView> newest(Filter filter, Optional<Position> after, int limit) {
        awaitQueuedRecords();
        StringBuilder sql = new StringBuilder("""
                SELECT run_id, session_key, session_id, model, streaming, started_at, ended_at, outcome,
                       error_message, prompt_tokens, completion_tokens
                  FROM runs WHERE TRUE""");
        List<Object> params = new ArrayList<>();
        filter.outcome().ifPresent(outcome -> {
            switch (outcome) {
                case RUNNING -> sql.append(" AND outcome IS NULL");
                case FAILED -> {
                    sql.append(" AND outcome = ANY (?)");
                    params.add(FAILURE_CODES);
                }
                default -> {
                    sql.append(" AND outcome = ?");
                    params.add(outcome);
                }
            }
        });
        filter.sessionKey().ifPresent(key -> {
            sql.append(" AND session_key = ?");
            params.add(key);
        });
        after.ifPresent(position -> {
            OffsetDateTime at = OffsetDateTime.ofInstant(position.startedAt(), ZoneOffset.UTC);
            sql.append(" AND (started_at < ? OR (started_at = ? AND run_id < ?))");
            params.add(at);
            params.add(at);
            params.add(position.runId());
        });
        sql.append(" ORDER BY started_at DESC, run_id DESC LIMIT ?");
        params.add(limit);

        try (Connection c = dataSource.getConnection();
             PreparedStatement st = c.prepareStatement(sql.toString())) {
            for (int i = 0; i < params.size(); i++) {
                Object value = params.get(i);
                if (value instanceof String[] texts) {
                    st.setArray(i + 1, c.createArrayOf("text", texts));
                } else {
                    st.setObject(i + 1, value);
                }
            }
            List<RunView> runs = new ArrayList<>();
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    runs.add(view(rs));
                }
            }
            return runs;
        } catch (SQLException e) {
            throw new IllegalStateException("Could not list runs: " + e.getMessage(), e);
        }
    }

    private static RunView view(ResultSet rs) throws SQLException {
        Instant started = rs.getObject("started_at", OffsetDateTime.class).toInstant();
        OffsetDateTime endedAt = rs.getObject("ended_at", OffsetDateTime.class);
        Instant ended = endedAt == null ? null : endedAt.toInstant();
        UUID sessionId = rs.getObject("session_id", UUID.class);
        String outcome = rs.getString("outcome");
        return new RunView(
                rs.getObject("run_id", UUID.class).toString(),
                rs.getString("session_key"),
                sessionId == null ? null : sessionId.toString(),
                rs.getString("model"),
                rs.getBoolean("streaming"),
                started.toString(),
                ended == null ? null : ended.toString(),
                ended == null ? null : Duration.between(started, ended).toMillis(),
                outcome == null ? RUNNING : outcome,
                rs.getString("error_message"),
                rs.getInt("prompt_tokens"),
                rs.getInt("completion_tokens"));
    }
}
