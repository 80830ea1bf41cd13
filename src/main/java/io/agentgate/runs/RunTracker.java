package io.agentgate.runs;

import io.agentgate.chat.ChatFailure;
import io.agentgate.chat.FailureKind;
import io.agentgate.chat.Usage;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.sql.DataSource;

/**
 * Records every agent run in the {@code runs} table and in metrics. The entry point of this
 * package: {@link #begin(RunStart)} returns a {@link Run} that is ended exactly once. Outcomes are
 * {@value #COMPLETED} or a {@link FailureKind#code()}.
 */
public final class RunTracker {

    static final String COMPLETED = "completed";

    private final RunLedger ledger;
    private final RunMetrics metrics;

    /** {@code instanceId}: this gateway instance, recorded with every run it starts. */
    public RunTracker(DataSource dataSource, MeterRegistry registry, String instanceId) {
        this.ledger = new RunLedger(dataSource, instanceId);
        this.metrics = new RunMetrics(registry);
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
        try {
            ledger.started(start);
        } catch (java.sql.SQLException e) {
            // Not in the table (that is what failed), but counted: /metrics shows every turn's ending.
            metrics.started();
            metrics.ended(FailureKind.DATABASE_UNAVAILABLE.code());
            throw new ChatFailure(FailureKind.DATABASE_UNAVAILABLE, "The run could not be recorded.", e);
        }
        metrics.started();
        return new Run(start);
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
            return ledger.ended(start, outcome, message, usage == null ? Usage.ZERO : usage);
        }
    }
}
