package io.agentgate.bench;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;

/**
 * Time to first content token, direct to the fake upstream and through the gateway, from the same
 * client in the same run, 256 concurrent streams per round. Rounds alternate the two paths so both
 * see the same machine; the first round of each is warm-up and not counted. The keys are the
 * differences of the two distributions' p50 and p99.
 */
final class TtftScenario {

    static final int CONCURRENCY = 256;
    /** A fixed inter-token delay: the model "thinks" 20 ms before each token, the first included. */
    static final Directive DIRECTIVE = new Directive(8, 20);

    private TtftScenario() {}

    static List<Metric> run(LoadClient client, URI direct, URI gateway, String model, UpstreamCheck upstream,
                            int rounds) throws InterruptedException {
        String body = Batch.chatBody(model, DIRECTIVE);
        List<Double> directMs = new ArrayList<>();
        List<Double> gatewayMs = new ArrayList<>();
        List<String> failures = new ArrayList<>();
        long before = upstream.completions();
        int gatewayRequests = 0;
        for (int round = 0; round <= rounds; round++) {
            boolean gatewayFirst = round % 2 == 1;
            for (int leg = 0; leg < 2; leg++) {
                boolean viaGateway = (leg == 0) == gatewayFirst;
                Batch.Outcome o = Batch.run(client, viaGateway ? gateway : direct, body, CONCURRENCY, 60_000);
                if (viaGateway) {
                    gatewayRequests += CONCURRENCY;
                }
                if (!o.failureSummary().isEmpty()) {
                    failures.add((viaGateway ? "gateway: " : "direct: ") + o.failureSummary());
                }
                if (round > 0) {
                    for (double v : o.ttftMs()) {
                        (viaGateway ? gatewayMs : directMs).add(v);
                    }
                }
            }
        }
        long upstreamCalls = upstream.completions() - before;
        Metric.Goal p50Goal = Metric.Goal.atMost(1, "ms");
        Metric.Goal p99Goal = Metric.Goal.atMost(5, "ms");
        String scenario50 = "TTFT overhead p50, " + CONCURRENCY + " concurrent streams";
        String scenario99 = "TTFT overhead p99, " + CONCURRENCY + " concurrent streams";
        // Direct calls are counted too: the gateway must account for at least its own share.
        long directRequests = (long) (rounds + 1) * CONCURRENCY;
        if (upstreamCalls < directRequests + gatewayRequests) {
            return List.of(Metric.unmeasured("ttft_overhead_p50_ms", scenario50, p50Goal, UpstreamCheck.NOT_CALLED),
                    Metric.unmeasured("ttft_overhead_p99_ms", scenario99, p99Goal, UpstreamCheck.NOT_CALLED));
        }
        if (directMs.isEmpty() || gatewayMs.isEmpty()) {
            String why = "no successful streams: " + String.join("; ", failures);
            return List.of(Metric.unmeasured("ttft_overhead_p50_ms", scenario50, p50Goal, why),
                    Metric.unmeasured("ttft_overhead_p99_ms", scenario99, p99Goal, why));
        }
        double[] d = directMs.stream().mapToDouble(Double::doubleValue).toArray();
        double[] g = gatewayMs.stream().mapToDouble(Double::doubleValue).toArray();
        String note = rounds + " rounds × " + CONCURRENCY + " streams per path (" + d.length + " direct, " + g.length
                + " via gateway), upstream delay " + DIRECTIVE.delayMs() + " ms per token"
                + (failures.isEmpty() ? "" : "; failures: " + String.join("; ", failures));
        return List.of(metric("ttft_overhead_p50_ms", scenario50, d, g, 50, p50Goal, note),
                metric("ttft_overhead_p99_ms", scenario99, d, g, 99, p99Goal, note));
    }

    private static Metric metric(String key, String scenario, double[] direct, double[] gateway, double p,
                                 Metric.Goal goal, String note) {
        double base = Stats.percentile(direct, p);
        double through = Stats.percentile(gateway, p);
        double diff = Stats.round(through - base, 2);
        return new Metric(key, scenario, "direct " + Format.ms(base), Format.ms(through), diff,
                Format.signed(diff, "ms"), goal, note);
    }
}
