package io.agentgate.bench;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;

/**
 * Relay throughput: content chunks per second the client receives through the gateway (fake
 * upstream emitting with no delay, so the gateway is the bottleneck) divided by the chunks per
 * second a bare Jetty SSE servlet writes to the same client. Rounds alternate the two; the first
 * of each is warm-up; the key is the ratio of the medians.
 */
final class RelayScenario {

    static final int STREAMS = 4;

    private RelayScenario() {}

    static Metric run(LoadClient client, URI bare, URI gateway, String model, UpstreamCheck upstream,
                      int chunks, int rounds) throws InterruptedException {
        URI bareUri = URI.create(bare + "?chunks=" + chunks);
        String body = Batch.chatBody(model, new Directive(chunks, 0));
        List<Double> bareRates = new ArrayList<>();
        List<Double> gatewayRates = new ArrayList<>();
        List<String> failures = new ArrayList<>();
        long before = upstream.completions();
        for (int round = 0; round <= rounds; round++) {
            boolean gatewayFirst = round % 2 == 1;
            for (int leg = 0; leg < 2; leg++) {
                boolean viaGateway = (leg == 0) == gatewayFirst;
                Batch.Outcome o = viaGateway
                        ? Batch.run(client, gateway, body, STREAMS, 120_000)
                        : Batch.run(client, bareUri, null, STREAMS, 120_000);
                if (!o.failureSummary().isEmpty()) {
                    failures.add((viaGateway ? "gateway: " : "bare: ") + o.failureSummary());
                } else if (round > 0) {
                    (viaGateway ? gatewayRates : bareRates).add(o.chunksPerSecond());
                }
            }
        }
        Metric.Goal goal = Metric.Goal.atLeast(0.90, "");
        String scenario = "relay throughput, " + STREAMS + " streams × " + chunks + " chunks";
        if (upstream.completions() - before < (long) (rounds + 1) * STREAMS) {
            return Metric.unmeasured("relay_ratio", scenario, goal, UpstreamCheck.NOT_CALLED);
        }
        if (bareRates.isEmpty() || gatewayRates.isEmpty()) {
            return Metric.unmeasured("relay_ratio", scenario, goal, "no clean round: " + String.join("; ", failures));
        }
        double b = Stats.median(bareRates.stream().mapToDouble(Double::doubleValue).toArray());
        double g = Stats.median(gatewayRates.stream().mapToDouble(Double::doubleValue).toArray());
        double ratio = Stats.round(g / b, 3);
        return new Metric("relay_ratio", scenario, "bare Jetty SSE servlet " + Format.number(b) + " chunks/s",
                Format.number(g) + " chunks/s", ratio, Format.number(ratio) + "×", goal,
                "median of " + rounds + " rounds per side" + (failures.isEmpty() ? "" : "; failures: " + failures));
    }
}
