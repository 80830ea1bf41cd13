package io.agentgate.runs;

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

    public RunTracker(DataSource dataSource, MeterRegistry registry) {
        this.ledger = new RunLedger(dataSource);
        this.metrics = new RunMetrics(registry);
    }

    public Run begin(RunStart start) {
        ledger.started(start);
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

        public void completed(Usage usage) {
            end(COMPLETED, null, usage);
        }

        /** {@code message} is what the client was told (never upstream internals). */
        public void failed(FailureKind kind, String message) {
            end(kind.code(), message, Usage.ZERO);
        }

        private void end(String outcome, String message, Usage usage) {
            if (ended.compareAndSet(false, true)) {
                ledger.ended(start, outcome, message, usage == null ? Usage.ZERO : usage);
                metrics.ended(outcome);
            }
        }
    }
}
