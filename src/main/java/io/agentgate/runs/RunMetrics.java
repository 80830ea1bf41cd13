package io.agentgate.runs;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/** Prometheus-facing counters: runs by outcome, and runs in flight. */
final class RunMetrics {

    private final Map<RunOutcome, Counter> byOutcome = new EnumMap<>(RunOutcome.class);
    private final AtomicInteger inFlight = new AtomicInteger();

    RunMetrics(MeterRegistry registry) {
        // Registered up front so every outcome shows (at zero) before it first happens.
        for (RunOutcome outcome : RunOutcome.values()) {
            byOutcome.put(outcome, Counter.builder("agentgate.runs")
                    .description("Agent runs by how they ended")
                    .tag("outcome", outcome.code())
                    .register(registry));
        }
        Gauge.builder("agentgate.runs.in.flight", inFlight, AtomicInteger::get)
                .description("Agent runs started and not yet ended")
                .register(registry);
    }

    void started() {
        inFlight.incrementAndGet();
    }

    void ended(RunOutcome outcome) {
        inFlight.decrementAndGet();
        byOutcome.get(outcome).increment();
    }
}
