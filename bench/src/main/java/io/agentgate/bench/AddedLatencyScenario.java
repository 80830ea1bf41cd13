package io.agentgate.bench;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Added latency at concurrency 1, as GetBusbar and TensorZero publish it: one request at a time,
 * direct to the fake model and through the gateway alternating (which goes first alternates too),
 * after the warm-up. Non-streaming: send to the end of the response. Streaming: send to the first
 * content frame (time to first token). The keys are the differences of the two distributions'
 * percentiles, in microseconds.
 */
final class AddedLatencyScenario {

    /** A small completion answered at once: 8 tokens, no model delay. */
    static final Directive SMALL = new Directive(8, 0);

    private AddedLatencyScenario() {}

    static List<Metric> run(LoadClient client, Targets t, String model, int pairs) throws InterruptedException {
        List<Metric> out = new ArrayList<>();
        out.addAll(measure(client, t, model, pairs, false));
        out.addAll(measure(client, t, model, pairs, true));
        return out;
    }

    private static List<Metric> measure(LoadClient client, Targets t, String model, int pairs, boolean streaming)
            throws InterruptedException {
        String body = Batch.chatBody(model, SMALL, streaming);
        double[] direct = new double[pairs];
        double[] gateway = new double[pairs];
        int failures = 0;
        String firstFailure = "";
        for (int i = 0; i < pairs; i++) {
            for (int leg = 0; leg < 2; leg++) {
                boolean viaGateway = (leg == 0) == (i % 2 == 0);
                Exchange e = once(client, viaGateway ? t.gateway() : t.direct(), body);
                double v;
                if (e.ok(streaming)) {
                    v = streaming ? e.firstContentMicros() : e.totalMicros();
                } else {
                    failures++;
                    firstFailure = firstFailure.isEmpty() ? (viaGateway ? "gateway: " : "direct: ") + e.describeFailure()
                            : firstFailure;
                    v = Double.POSITIVE_INFINITY; // a failed request is slower than any answer
                }
                (viaGateway ? gateway : direct)[i] = v;
            }
        }
        String prefix = streaming ? "ttft_added_" : "added_";
        String what = streaming ? "streaming, to the first content frame" : "non-streaming, to the end of the response";
        String note = pairs + " pairs at concurrency 1, direct and via gateway alternating, after the warm-up; "
                + what + (failures == 0 ? "" : "; " + failures + " failed, first: " + firstFailure);
        return List.of(metric(prefix + "p50_us", "added latency p50, " + what, direct, gateway, 50, note),
                metric(prefix + "p99_us", "added latency p99, " + what, direct, gateway, 99, note));
    }

    static Exchange once(LoadClient client, URI uri, String body) throws InterruptedException {
        CountDownLatch done = new CountDownLatch(1);
        Exchange e = new Exchange(System.nanoTime(), done, 0);
        client.stream(uri, body, e);
        if (!done.await(30, TimeUnit.SECONDS)) {
            throw new IllegalStateException("a single request to " + uri + " took more than 30 s");
        }
        return e;
    }

    private static Metric metric(String key, String scenario, double[] direct, double[] gateway, double p, String note) {
        double base = Stats.percentile(direct, p);
        double through = Stats.percentile(gateway, p);
        double added = Stats.round(through - base, 0);
        return new Metric(key, scenario, "direct " + Format.us(base), Format.us(through), added,
                Format.signed(added, "µs"), Metric.Goal.atMost(200, "µs"), note);
    }
}
