package io.agentgate.bench;

import java.util.ArrayList;
import java.util.List;

/**
 * Relay throughput: content chunks per second the client receives from an unpaced fake model (it
 * writes as fast as it can, so the relay is the bottleneck) through the gateway, divided by the
 * same through Jetty's proxy servlet. Rounds alternate the two; the first of each is warm-up; the
 * key is the ratio of the medians.
 */
final class RelayScenario {

    static final int STREAMS = 4;

    private RelayScenario() {}

    static Metric run(LoadClient client, Targets t, String model, UpstreamCheck upstream, int chunks, int rounds)
            throws InterruptedException {
        String body = Batch.chatBody(model, new Directive(chunks, 0));
        List<Double> proxyRates = new ArrayList<>();
        List<Double> gatewayRates = new ArrayList<>();
        List<String> failures = new ArrayList<>();
        long before = upstream.completions();
        for (int round = 0; round <= rounds; round++) {
            boolean gatewayFirst = round % 2 == 1;
            for (int leg = 0; leg < 2; leg++) {
                boolean viaGateway = (leg == 0) == gatewayFirst;
                Batch.Outcome o = Batch.run(client, viaGateway ? t.gateway() : t.proxy(), body, STREAMS, 0, 120_000);
                if (!o.failureSummary().isEmpty()) {
                    failures.add((viaGateway ? "gateway: " : "proxy: ") + o.failureSummary());
                } else if (round > 0) {
                    (viaGateway ? gatewayRates : proxyRates).add(o.chunksPerSecond());
                }
            }
        }
        Metric.Goal goal = Metric.Goal.atLeast(0.90, "");
        String scenario = "relay throughput, " + STREAMS + " streams × " + chunks + " unpaced chunks";
        if (upstream.completions() - before < (long) (rounds + 1) * STREAMS * 2) {
            return Metric.unmeasured("relay_ratio", scenario, goal, UpstreamCheck.NOT_CALLED);
        }
        if (proxyRates.isEmpty() || gatewayRates.isEmpty()) {
            return Metric.unmeasured("relay_ratio", scenario, goal, "no clean round: " + String.join("; ", failures));
        }
        double p = Stats.median(proxyRates.stream().mapToDouble(Double::doubleValue).toArray());
        double g = Stats.median(gatewayRates.stream().mapToDouble(Double::doubleValue).toArray());
        double ratio = Stats.round(g / p, 3);
        return new Metric("relay_ratio", scenario, "Jetty proxy servlet " + Format.number(p) + " chunks/s",
                Format.number(g) + " chunks/s", ratio, Format.number(ratio) + "×", goal,
                "median of " + rounds + " rounds per side" + (failures.isEmpty() ? "" : "; failures: " + failures));
    }
}
