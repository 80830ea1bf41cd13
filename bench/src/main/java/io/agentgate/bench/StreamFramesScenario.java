package io.agentgate.bench;

import java.util.ArrayList;
import java.util.List;

/**
 * GetBusbar's stream suite: 512 concurrent streams, each 64 content deltas 20 ms apart. Added
 * inter-frame latency is the p99 of the gaps between consecutive content frames through the gateway
 * minus the same p99 direct; a stall is a stream with any gap over 100 ms (or one that failed).
 * Rounds alternate direct and through the gateway; the first round of each is not counted.
 */
final class StreamFramesScenario {

    static final int STREAMS = 512;
    static final Directive PACED = new Directive(64, 20);
    static final double STALL_US = 100_000;

    private StreamFramesScenario() {}

    static List<Metric> run(LoadClient client, Targets t, String model, int rounds) throws InterruptedException {
        String body = Batch.chatBody(model, PACED);
        List<double[]> direct = new ArrayList<>();
        List<double[]> gateway = new ArrayList<>();
        int stalls = 0;
        int directStalls = 0;
        List<String> failures = new ArrayList<>();
        for (int round = 0; round <= rounds; round++) {
            for (int leg = 0; leg < 2; leg++) {
                boolean viaGateway = (leg == 0) == (round % 2 == 1);
                Batch.Outcome o = Batch.run(client, viaGateway ? t.gateway() : t.direct(), body, STREAMS,
                        PACED.tokens(), 60_000);
                if (!o.failureSummary().isEmpty()) {
                    failures.add((viaGateway ? "gateway: " : "direct: ") + o.failureSummary());
                }
                if (round == 0) {
                    continue;
                }
                for (Exchange e : o.streams()) {
                    double[] gaps = e.frameGapsMicros();
                    boolean stalled = !e.ok(true) || e.contentFrames < PACED.tokens()
                            || java.util.Arrays.stream(gaps).anyMatch(g -> g > STALL_US);
                    if (viaGateway) {
                        gateway.add(gaps);
                        stalls += stalled ? 1 : 0;
                    } else {
                        direct.add(gaps);
                        directStalls += stalled ? 1 : 0;
                    }
                }
            }
        }
        double[] d = direct.stream().flatMapToDouble(java.util.Arrays::stream).toArray();
        double[] g = gateway.stream().flatMapToDouble(java.util.Arrays::stream).toArray();
        String scenario = STREAMS + " concurrent streams × " + PACED.tokens() + " deltas " + PACED.delayMs() + " ms apart";
        String note = rounds + " rounds per side after one uncounted; " + d.length + " direct gaps, " + g.length
                + " via gateway" + (failures.isEmpty() ? "" : "; failures: " + String.join("; ", failures));
        if (d.length == 0 || g.length == 0) {
            return List.of(
                    Metric.unmeasured("stream_added_frame_p99_us", "added inter-frame p99, " + scenario,
                            Metric.Goal.atMost(100, "µs"), "no frames: " + note),
                    Metric.unmeasured("stream_stalls", "streams with a gap > 100 ms, " + scenario,
                            Metric.Goal.atMost(0, ""), "no frames: " + note));
        }
        double base = Stats.percentile(d, 99);
        double through = Stats.percentile(g, 99);
        double added = Stats.round(through - base, 0);
        return List.of(
                new Metric("stream_added_frame_p99_us", "added inter-frame p99, " + scenario,
                        "direct gap p99 " + Format.us(base), Format.us(through), added, Format.signed(added, "µs"),
                        Metric.Goal.atMost(100, "µs"), note),
                new Metric("stream_stalls", "streams with a gap > 100 ms, " + scenario,
                        "direct " + directStalls + " of " + direct.size(), stalls + " of " + gateway.size(),
                        (double) stalls, "—", Metric.Goal.atMost(0, ""), note));
    }
}
