package io.agentgate.bench;

import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Holds quiet SSE streams open against a gateway whose demo agent says one word and then waits
 * (an hour), keepalive interval 1 s. Ramps 1k, 5k, 10k, 20k: after each step a stream counts as
 * held only if it is open and received at least one keepalive during the check window. At 10k it
 * holds longer and reads the heap after a full GC. The keepalive gap key is the longest gap any
 * stream saw during that 10k hold (all 10k open, nothing else happening); the longest gap over the
 * whole ramp, while thousands of connections a second were being opened on the same two cores, is
 * reported beside it. The 20k step is expected to run into the open-file limit.
 */
final class HeldStreamsScenario {

    static final int[] STEPS = {1_000, 5_000, 10_000, 20_000};
    static final String QUIET_PROMPT = "quiet agent holding this stream";
    private static final int OPENING_IN_FLIGHT = 256;
    private static final int FAILURES_TO_STOP_STEP = 100;
    /** The ramp goes on while a step holds at least this share of its target. */
    private static final double CONTINUE_SHARE = 0.95;

    record Settings(long checkWindowMs, long holdAt10kMs, long openTimeoutMs) {}

    record Step(int target, int opened, int held, String stoppedBecause) {}

    private HeldStreamsScenario() {}

    static List<Metric> run(GatewayProcess gateway, Settings settings, double keepaliveSeconds) throws Exception {
        double idleHeap = gateway.heapUsedAfterGcMib();
        URI uri = gateway.uri("v1/chat/completions");
        String body = "{\"model\":\"demo\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\""
                + QUIET_PROMPT + "\"}]}";
        List<HeldStream> streams = new ArrayList<>();
        List<Step> steps = new ArrayList<>();
        Double heapAt10k = null;
        String heapNote = "";
        long gapNanos = -1;
        long rampGapNanos = -1;
        AtomicLong windowStart = new AtomicLong(Long.MAX_VALUE);
        try (LoadClient client = new LoadClient(STEPS[STEPS.length - 1] + 1_000)) {
            for (int target : STEPS) {
                String stopped = open(client, uri, body, streams, target, settings.openTimeoutMs(), windowStart);
                long window = target == 10_000 ? settings.holdAt10kMs() : settings.checkWindowMs();
                if (target == 10_000) {
                    windowStart.set(System.nanoTime()); // gaps wholly inside the 10k hold count from here
                }
                int held = countHeld(streams, window);
                int opened = (int) streams.stream().filter(HeldStream::live).count();
                steps.add(new Step(target, opened, held, stopped));
                System.out.printf("[bench] held streams: target %d, open %d, held %d%s%n", target, opened, held,
                        stopped.isEmpty() ? "" : " (" + stopped + ")");
                if (target == 10_000) {
                    long now = System.nanoTime();
                    gapNanos = streams.stream().mapToLong(s -> s.windowMaxGapNanos(now)).max().orElse(-1);
                    rampGapNanos = streams.stream().mapToLong(s -> s.maxGapNanos(now)).max().orElse(-1);
                    heapAt10k = gateway.heapUsedAfterGcMib();
                    gateway.saveHistogram("held-10k");
                    heapNote = "heap read with " + held + " streams held";
                }
                if (held < target * CONTINUE_SHARE || !stopped.isEmpty()) {
                    break;
                }
            }
        }
        return metrics(steps, idleHeap, heapAt10k, heapNote, gapNanos, rampGapNanos, keepaliveSeconds,
                settings.holdAt10kMs());
    }

    /** Opens streams until {@code target} are live; returns why it stopped short ("" when it did not). */
    private static String open(LoadClient client, URI uri, String body, List<HeldStream> streams, int target,
                               long timeoutMs, AtomicLong windowStart) throws InterruptedException {
        Semaphore opening = new Semaphore(OPENING_IN_FLIGHT);
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        int failuresBefore = failures(streams);
        List<HeldStream> added = new ArrayList<>();
        String stopped = "";
        while (streams.size() < target) {
            long left = deadline - System.nanoTime();
            if (left <= 0 || !opening.tryAcquire(left, TimeUnit.NANOSECONDS)) {
                stopped = "open timeout after " + timeoutMs + " ms";
                break;
            }
            if (added.size() % 256 == 0 && failures(added) >= FAILURES_TO_STOP_STEP) {
                opening.release();
                stopped = "stopped after " + FAILURES_TO_STOP_STEP + " failed opens";
                break;
            }
            HeldStream s = new HeldStream(opening, windowStart);
            streams.add(s);
            added.add(s);
            client.stream(uri, body, s);
        }
        // Wait for the streams still opening (each releases its permit on its first event or its end).
        long left = Math.max(0, deadline - System.nanoTime());
        if (!opening.tryAcquire(OPENING_IN_FLIGHT, left, TimeUnit.NANOSECONDS) && stopped.isEmpty()) {
            stopped = "open timeout after " + timeoutMs + " ms";
        }
        String firstFailure = added.stream().filter(s -> s.failure != null).map(s -> Format.brief(s.failure))
                .findFirst().orElse("");
        int failed = failures(streams) - failuresBefore;
        if (failed > 0) {
            stopped = (stopped.isEmpty() ? "" : stopped + "; ") + failed + " opens failed, first: " + firstFailure;
        }
        streams.removeIf(s -> s.ended);
        return stopped;
    }

    private static int failures(List<HeldStream> streams) {
        return (int) streams.stream().filter(s -> s.ended).count();
    }

    /** Streams open at the end of the window that got at least one keepalive during it. */
    private static int countHeld(List<HeldStream> streams, long windowMs) throws InterruptedException {
        int[] before = new int[streams.size()];
        for (int i = 0; i < before.length; i++) {
            before[i] = streams.get(i).keepalives;
        }
        Thread.sleep(windowMs);
        int held = 0;
        for (int i = 0; i < before.length; i++) {
            HeldStream s = streams.get(i);
            if (s.live() && s.keepalives > before[i]) {
                held++;
            }
        }
        return held;
    }

    private static List<Metric> metrics(List<Step> steps, double idleHeap, Double heapAt10k, String heapNote,
                                        long gapNanos, long rampGapNanos, double keepaliveSeconds,
                                        long holdMs) {
        int maxHeld = steps.stream().mapToInt(Step::held).max().orElse(0);
        Map<Integer, String> ramp = new LinkedHashMap<>();
        for (Step s : steps) {
            ramp.put(s.target(), s.held() + (s.stoppedBecause().isEmpty() ? "" : " (" + s.stoppedBecause() + ")"));
        }
        String rampNote = "ramp target → held: " + ramp;
        Step last = steps.get(steps.size() - 1);
        List<Metric> out = new ArrayList<>();
        out.add(new Metric("max_streams_held", "quiet SSE streams held, keepalives flowing", "—",
                Format.number(maxHeld), (double) maxHeld, "—", Metric.Goal.atLeast(10_000, ""),
                rampNote + (last.held() < last.target() ? "; stopped at the " + last.target() + " step" : "")));
        Metric.Goal heapGoal = Metric.Goal.atMost(512, "MiB");
        out.add(heapAt10k == null
                ? Metric.unmeasured("heap_mib_at_10k", "heap after GC, 10k streams open", heapGoal,
                "10k streams were never held: " + rampNote)
                : new Metric("heap_mib_at_10k", "heap after GC, 10k streams open",
                "idle gateway " + Format.number(idleHeap) + " MiB", Format.number(heapAt10k) + " MiB",
                Stats.round(heapAt10k, 1), Format.signed(heapAt10k - idleHeap, "MiB"), heapGoal, heapNote));
        Metric.Goal gapGoal = Metric.Goal.atMost(keepaliveSeconds + 1, "s");
        double gap = gapNanos / 1e9;
        out.add(gapNanos < 0
                ? Metric.unmeasured("keepalive_max_gap_s", "longest keepalive gap, interval 1 s", gapGoal,
                "10k streams were never held: " + rampNote)
                : new Metric("keepalive_max_gap_s", "longest keepalive gap, interval 1 s",
                "interval " + Format.number(keepaliveSeconds) + " s", Format.number(gap) + " s",
                Stats.round(gap, 3), Format.signed(gap - keepaliveSeconds, "s"), gapGoal,
                "longest gap of any stream during the " + Format.number(holdMs / 1000.0) + " s hold with 10k open; "
                + "over the whole ramp up to 10k (opening thousands of streams a second on the same cores) "
                + Format.number(rampGapNanos / 1e9) + " s"));
        return out;
    }
}
