package io.agentgate.runs;

import io.agentgate.chat.StorableText;
import io.agentgate.chat.Usage;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes the {@code runs} table behind the requests, as TensorZero writes its observability rows:
 * a request only puts its run's start and end on a bounded queue; one named writer thread takes
 * them off and writes them in JDBC batches, one transaction per batch of at most {@link #BATCH_ROWS}
 * (paced group commit: a record that arrives after a quiet spell is written at once, so a quiet
 * gateway writes each record within a millisecond or two; under load a batch is whatever queued
 * within {@link #WRITE_INTERVAL} of the previous write). A run that starts and ends within one
 * batch is one INSERT. Two commits per request on the request path were
 * the gateway's largest added latency at concurrency 1 (bench/run: added p99 ~5 ms, every request
 * waiting on two fsyncs).
 *
 * <p>A first version waited up to 100 ms to fill a batch; a gateway killed within those 100 ms of a
 * turn's start lost the run's record, so the run could not be closed as interrupted afterwards
 * (ReplicaCrashTest). Batching by what is already queued keeps the window to one write.
 *
 * <p>The trade: a full queue (the database far behind, or away) never blocks a request; the record
 * is dropped and counted ({@code agentgate_runs_records_dropped_total}). A batch the database
 * refuses is retried for {@link #RETRY_FOR}, so a database restart loses nothing. A crash of the
 * gateway loses what was queued and not yet written. {@link #close()} writes everything queued
 * before the database closes.
 */
final class RunWriter implements AutoCloseable {

    static final int CAPACITY = 10_000;
    static final int BATCH_ROWS = 256;
    /**
     * At most one write per interval: a record waits for it at most this long. Writing each record
     * as it came cost one or two transactions per request: perf at concurrency 1 put the writer
     * thread at a fifth of the gateway's CPU outside the JIT, with PostgreSQL's share on top.
     */
    static final Duration WRITE_INTERVAL = Duration.ofMillis(10);
    /** How long a batch is retried while the database is away before its records are dropped. */
    static final Duration RETRY_FOR = Duration.ofSeconds(30);

    private static final Logger log = LoggerFactory.getLogger(RunWriter.class);
    private static final int MAX_ERROR_CHARS = 1000;

    private sealed interface Item {}

    private record Started(RunStart run, Instant at) implements Item {}

    private record Ended(UUID runId, String outcome, String errorMessage, Usage usage, Instant at) implements Item {}

    /** Everything queued before it is written once the writer reaches it. */
    private record Flush(CountDownLatch written) implements Item {}

    private record Stop() implements Item {}

    private final DataSource dataSource;
    private final String instanceId;
    private final BlockingQueue<Item> queue = new ArrayBlockingQueue<>(CAPACITY);
    private final Counter droppedFull;
    private final Counter droppedFailed;
    private final Thread thread;
    /** When the writer last began a write (its thread only). */
    private long lastWriteNanos = System.nanoTime() - WRITE_INTERVAL.toNanos();

    /** {@code instanceId}: recorded with every run, so the runs a dead instance left open can be closed. */
    RunWriter(DataSource dataSource, MeterRegistry registry, String instanceId) {
        this.dataSource = dataSource;
        this.instanceId = instanceId;
        this.droppedFull = dropped(registry, "queue_full");
        this.droppedFailed = dropped(registry, "write_failed");
        this.thread = Thread.ofPlatform().name("runs-writer").daemon(true).start(this::loop);
    }

    private static Counter dropped(MeterRegistry registry, String reason) {
        return Counter.builder("agentgate.runs.records.dropped")
                .description("Run records (starts and ends) not written to the runs table")
                .tag("reason", reason)
                .register(registry);
    }

    void started(RunStart run) {
        offer(new Started(run, Instant.now()));
    }

    /** Queues a run's end; false when the queue was full and it was dropped. */
    boolean ended(UUID runId, String outcome, String errorMessage, Usage usage) {
        // NUL (which a model may send and PostgreSQL refuses in text) stored as U+FFFD.
        String message = StorableText.of(errorMessage == null || errorMessage.length() <= MAX_ERROR_CHARS
                ? errorMessage : errorMessage.substring(0, MAX_ERROR_CHARS));
        return offer(new Ended(runId, outcome, message, usage, Instant.now()));
    }

    /** Waits (at most {@code timeout}) until everything queued so far is written; false on timeout. */
    boolean flush(Duration timeout) throws InterruptedException {
        Flush flush = new Flush(new CountDownLatch(1));
        long deadline = System.nanoTime() + timeout.toNanos();
        if (!thread.isAlive() || !queue.offer(flush, timeout.toNanos(), TimeUnit.NANOSECONDS)) {
            return false;
        }
        return flush.written().await(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
    }

    /** Writes what is queued (waiting up to 10 s), then stops the writer. Call before the database closes. */
    @Override
    public void close() {
        try {
            if (!flush(Duration.ofSeconds(10))) {
                log.warn("Run records still queued after 10 s at shutdown; {} not written", queue.size());
            }
            queue.offer(new Stop(), 1, TimeUnit.SECONDS);
            thread.join(Duration.ofSeconds(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private boolean offer(Item item) {
        if (!queue.offer(item)) {
            droppedFull.increment();
            return false;
        }
        return true;
    }

    private void loop() {
        List<Item> batch = new ArrayList<>(BATCH_ROWS);
        while (true) {
            try {
                batch.add(queue.take());
                // Paced group commit: a record that comes after a quiet spell is written at once; under
                // load, what queues within WRITE_INTERVAL of the last write goes in one transaction.
                long wait = WRITE_INTERVAL.toNanos() - (System.nanoTime() - lastWriteNanos);
                if (wait > 0 && queue.size() < BATCH_ROWS - 1) {
                    Thread.sleep(Duration.ofNanos(wait));
                }
                queue.drainTo(batch, BATCH_ROWS - 1);
                lastWriteNanos = System.nanoTime();
                write(batch);
                boolean stop = false;
                for (Item i : batch) {
                    if (i instanceof Flush f) {
                        f.written().countDown();
                    }
                    stop |= i instanceof Stop;
                }
                batch.clear();
                if (stop) {
                    return;
                }
            } catch (InterruptedException e) {
                return;
            } catch (VirtualMachineError e) {
                throw e;
            } catch (Throwable e) {
                // The one writer must outlive any failure, or every later record is lost.
                log.warn("Run writer: unexpected failure, {} record(s) lost: {}", rows(batch), e.toString());
                droppedFailed.increment(rows(batch));
                batch.forEach(i -> {
                    if (i instanceof Flush f) {
                        f.written().countDown();
                    }
                });
                batch.clear();
            }
        }
    }

    private static int rows(List<Item> batch) {
        int n = 0;
        for (Item i : batch) {
            n += i instanceof Started || i instanceof Ended ? 1 : 0;
        }
        return n;
    }

    /**
     * Writes one batch, retrying while the database is away (a restart, a failover) for up to
     * {@link #RETRY_FOR}: records wait in memory instead of being lost to a short outage. Only then
     * are they dropped and counted. Records queued meanwhile wait (or, once the queue is full, are
     * dropped and counted) like any others.
     */
    private void write(List<Item> batch) throws InterruptedException {
        long giveUpAt = System.nanoTime() + RETRY_FOR.toNanos();
        for (int attempt = 1; ; attempt++) {
            try {
                writeOnce(batch);
                if (attempt > 1) {
                    log.info("Run records written again after {} attempt(s)", attempt);
                }
                return;
            } catch (Exception | AssertionError e) {
                // (pgjdbc raises an AssertionError from a batch whose connection died mid-way when
                // assertions are on.)
                int records = rows(batch);
                if (System.nanoTime() >= giveUpAt) {
                    droppedFailed.increment(records);
                    log.warn("Could not write {} run record(s) for {} s; dropped: {}", records,
                            RETRY_FOR.toSeconds(), e.getMessage());
                    return;
                }
                if (attempt == 1) {
                    log.warn("Could not write {} run record(s) ({}); retrying while the database is away",
                            records, e.getMessage());
                }
                Thread.sleep(Math.min(1_000, 50L << Math.min(attempt, 5)));
            }
        }
    }

    /** One transaction: new runs first (ended ones complete in one row), then the ends of earlier runs. */
    private void writeOnce(List<Item> batch) throws SQLException {
        Map<UUID, Started> starts = new LinkedHashMap<>();
        Map<UUID, Ended> endsOfNew = new LinkedHashMap<>();
        List<Ended> endsOfOld = new ArrayList<>();
        for (Item i : batch) {
            if (i instanceof Started s) {
                starts.put(s.run().runId(), s);
            } else if (i instanceof Ended e) {
                if (starts.containsKey(e.runId())) {
                    endsOfNew.putIfAbsent(e.runId(), e);
                } else {
                    endsOfOld.add(e);
                }
            }
        }
        if (starts.isEmpty() && endsOfOld.isEmpty()) {
            return;
        }
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                insert(c, starts, endsOfNew);
                update(c, endsOfOld);
                c.commit();
            } catch (SQLException | RuntimeException | AssertionError e) {
                try {
                    c.rollback();
                } catch (SQLException rollback) {
                    e.addSuppressed(rollback);
                }
                throw e;
            }
        }
    }

    private void insert(Connection c, Map<UUID, Started> starts, Map<UUID, Ended> ends) throws SQLException {
        if (starts.isEmpty()) {
            return;
        }
        try (PreparedStatement st = c.prepareStatement("""
                INSERT INTO runs (run_id, session_key, session_id, model, streaming, started_at,
                                  ended_at, outcome, error_message, prompt_tokens, completion_tokens, instance_id)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (run_id) DO NOTHING""")) {
            for (Started s : starts.values()) {
                RunStart run = s.run();
                Ended end = ends.get(run.runId());
                st.setObject(1, run.runId());
                st.setString(2, run.sessionKey());
                st.setObject(3, run.sessionId());
                st.setString(4, run.model());
                st.setBoolean(5, run.streaming());
                st.setObject(6, time(s.at()));
                if (end == null) {
                    st.setNull(7, Types.TIMESTAMP_WITH_TIMEZONE);
                    st.setNull(8, Types.VARCHAR);
                    st.setNull(9, Types.VARCHAR);
                    st.setInt(10, 0);
                    st.setInt(11, 0);
                } else {
                    st.setObject(7, time(end.at()));
                    st.setString(8, end.outcome());
                    st.setString(9, end.errorMessage());
                    st.setInt(10, end.usage().promptTokens());
                    st.setInt(11, end.usage().completionTokens());
                }
                st.setString(12, instanceId);
                st.addBatch();
            }
            st.executeBatch();
        }
    }

    private static void update(Connection c, List<Ended> ends) throws SQLException {
        if (ends.isEmpty()) {
            return;
        }
        try (PreparedStatement st = c.prepareStatement("""
                UPDATE runs SET ended_at = ?, outcome = ?, error_message = ?, prompt_tokens = ?, completion_tokens = ?
                 WHERE run_id = ? AND ended_at IS NULL""")) {
            for (Ended e : ends) {
                st.setObject(1, time(e.at()));
                st.setString(2, e.outcome());
                st.setString(3, e.errorMessage());
                st.setInt(4, e.usage().promptTokens());
                st.setInt(5, e.usage().completionTokens());
                st.setObject(6, e.runId());
                st.addBatch();
            }
            st.executeBatch();
        }
    }

    private static OffsetDateTime time(Instant at) {
        return OffsetDateTime.ofInstant(at, ZoneOffset.UTC);
    }
}
