package io.agentgate.runs;

import io.agentgate.chat.FailureKind;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/** Prometheus-facing counters: runs by outcome, and runs in flight. */
final class RunMetrics {

    private final Map<String, Counter> byOutcome = new ConcurrentHashMap<>();
    private final AtomicInteger inFlight = new AtomicInteger();

    RunMetrics(MeterRegistry registry) {
        // Registered up front so every outcome shows (at zero) before it first happens.
        register(registry, RunTracker.COMPLETED);
        for (FailureKind kind : FailureKind.values()) {
            register(registry, kind.code());
        }
        Gauge.builder("agentgate.runs.in.flight", inFlight, AtomicInteger::get)
                .description("Agent runs started and not yet ended")
                .register(registry);
    }

    private void register(MeterRegistry registry, String outcome) {
        byOutcome.put(outcome, Counter.builder("agentgate.runs")
                .description("Agent runs by how they ended")
                .tag("outcome", outcome)
                .register(registry));
    }

    void started() {
        inFlight.incrementAndGet();
    }

    /** Runs of dead instances closed here: counted, never in flight here. */
    void interrupted(int count) {
        if (count > 0) {
            byOutcome.get(FailureKind.INTERRUPTED.code()).increment(count);
        }
    }

    void ended(String outcome) {
        inFlight.decrementAndGet();
        byOutcome.get(outcome).increment();
    }
}
