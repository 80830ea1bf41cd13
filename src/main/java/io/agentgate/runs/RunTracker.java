package io.agentgate.runs;

import io.agentgate.chat.ChatFailure;
import io.agentgate.chat.FailureKind;
import io.agentgate.chat.Usage;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.sql.DataSource;

/**
 * Records every agent run in the {@code runs} table and in metrics. The entry point of this
 * package: {@link #begin(RunStart)} returns a {@link Run} that is ended exactly once. Outcomes are
 * {@value #COMPLETED} or a {@link FailureKind#code()}. Metrics count at once; the table is written
 * behind the request by a {@link RunWriter} (see there for what a crash can lose), which
 * {@link #close()} drains: close this before the database.
 */
public final class RunTracker implements AutoCloseable {

    static final String COMPLETED = "completed";

    private final BooleanSupplier databaseReady;
    private final RunLedger ledger;
    private final RunWriter writer;
    private final RunMetrics metrics;
    private final RunQueries queries;

    /**
     * {@code instanceId}: this gateway instance, recorded with every run it starts.
     * {@code databaseReady}: the database monitor's current answer (what readiness reports).
     */
    public RunTracker(DataSource dataSource, MeterRegistry registry, String instanceId, BooleanSupplier databaseReady) {
        this.databaseReady = databaseReady;
        this.ledger = new RunLedger(dataSource, instanceId);
        this.writer = new RunWriter(dataSource, registry, instanceId);
        this.metrics = new RunMetrics(registry);
        this.queries = new RunQueries(dataSource, writer);
    }

    /** The read-only listing ({@code GET /v1/runs}); it sees every run this instance has queued. */
    public RunQueries queries() {
        return queries;
    }

    /**
     * Start-up, before any request: runs this instance left open when it went down (crash, kill, lost
     * database) are closed as {@link FailureKind#INTERRUPTED}, as are those of dead instances.
     */
    public void closeLeftOpenAtStartup() {
        metrics.interrupted(ledger.closeOrphaned(true));
    }

    /** Closes as {@link FailureKind#INTERRUPTED} the runs left open by instances that are no longer live. */
    public void closeOrphaned() {
        metrics.interrupted(ledger.closeOrphaned(false));
    }

    /**
     * Records the start of a run.
     *
     * @throws ChatFailure of kind {@link FailureKind#DATABASE_UNAVAILABLE} when it cannot be recorded
     */
    public Run begin(RunStart start) {
        if (!databaseReady.getAsBoolean()) {
            // No round trip to learn it: the database monitor (readiness) already knows it is away.
            // Not in the table (that is what is away), but counted: /metrics shows every turn's ending.
            metrics.started();
            metrics.ended(FailureKind.DATABASE_UNAVAILABLE.code());
            throw new ChatFailure(FailureKind.DATABASE_UNAVAILABLE, "The run could not be recorded.", null);
        }
        writer.started(start);
        metrics.started();
        return new Run(start);
    }

    /** Waits (at most {@code timeout}) until every run record queued so far is in the table. */
    public boolean awaitWritten(Duration timeout) throws InterruptedException {
        return writer.flush(timeout);
    }

    /** Writes the run records still queued and stops the writer. */
    @Override
    public void close() {
        writer.close();
    }

    /** One run in flight. Only the first ending counts; later ones are ignored. */
    public final class Run {

        private final RunStart start;
        private final AtomicBoolean ended = new AtomicBoolean();

        private Run(RunStart start) {
            this.start = start;
        }

        public RunStart start() {
            return start;
        }

        /** Returns false when the database did not record it. */
        public boolean completed(Usage usage) {
            return end(COMPLETED, null, usage);
        }

        /** {@code message} is what the client was told (never upstream internals). Returns false when not recorded. */
        public boolean failed(FailureKind kind, String message) {
            return end(kind.code(), message, Usage.ZERO);
        }

        private boolean end(String outcome, String message, Usage usage) {
            if (!ended.compareAndSet(false, true)) {
                return true;
            }
            // Counted whatever the database says: the metric is what this process saw.
            metrics.ended(outcome);
            boolean queued = writer.ended(start.runId(), outcome, message, usage == null ? Usage.ZERO : usage);
            // Written behind the request: what is known now is whether it was queued and whether the
            // database is there to take it.
            return queued && databaseReady.getAsBoolean();
        }
    }
}
