package io.agentgate.bench;

import java.net.URI;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * The highest fixed arrival rate (open loop: requests leave on schedule whether or not earlier ones
 * answered, and each is timed from when it was due, so a stall is not hidden by a waiting client)
 * of small non-streaming completions at which the added p99 stays within 5 ms, through the gateway
 * and through Jetty's proxy servlet in front of the same fake model. Added p99 at a rate is the p99
 * through the relay minus the p99 direct at the same rate. Rates climb by a factor until a step
 * fails, then bisect between the last pass and the first failure. The gateway's CPU cost per
 * request is its process CPU time over its highest passing step divided by that step's requests.
 */
final class MaxRateScenario {

    static final double ADDED_P99_LIMIT_US = 5_000;
    /** More in flight than this and the relay has fallen behind for good: the rest count as failed. */
    static final int MAX_IN_FLIGHT = 1_024;

    record Settings(int startRate, double factor, int maxRate, long stepMs, int refinements) {}

    /** One step at one rate: the p99 counts failed and skipped requests as infinitely slow. */
    record Step(int rate, int sent, int ok, double p99Us, long cpuNanos) {
        double cpuMicrosPerRequest() {
            return cpuNanos < 0 || ok == 0 ? Double.NaN : cpuNanos / 1e3 / ok;
        }
    }

    /** The outcome for one relay: the highest passing step (null if none passed) and the first failing one. */
    record Search(Step best, Step firstFailure, List<String> log) {
        int rate() {
            return best == null ? 0 : best.rate();
        }
    }

    private MaxRateScenario() {}

    static List<Metric> run(LoadClient client, Targets t, String model, Settings s) throws InterruptedException {
        String body = Batch.chatBody(model, AddedLatencyScenario.SMALL, false);
        Map<Integer, Double> directP99 = new HashMap<>();
        Search gateway = search(client, t, t.gateway(), t.gatewayPid(), body, s, directP99);
        Search proxy = search(client, t, t.proxy(), t.proxyPid(), body, s, directP99);
        String scenario = "max fixed arrival rate with added p99 ≤ 5 ms, small non-streaming completions";
        String note = "step " + s.stepMs() + " ms per rate; gateway steps " + gateway.log() + "; proxy steps "
                + proxy.log();
        List<Metric> out = new ArrayList<>();
        if (proxy.rate() == 0) {
            out.add(Metric.unmeasured("max_rps_ratio", scenario, Metric.Goal.atLeast(0.8, ""),
                    "the proxy servlet passed no step: " + note));
        } else {
            double ratio = Stats.round((double) gateway.rate() / proxy.rate(), 3);
            out.add(new Metric("max_rps_ratio", scenario, "Jetty proxy servlet " + proxy.rate() + " req/s",
                    gateway.rate() + " req/s", ratio, Format.number(ratio) + "×", Metric.Goal.atLeast(0.8, ""), note));
        }
        out.add(new Metric("max_rps", "max rate through agentgate (absolute)", "proxy " + proxy.rate() + " req/s",
                gateway.rate() + " req/s", (double) gateway.rate(), "—", Metric.Goal.none("req/s"), ""));
        out.add(new Metric("max_rps_proxy", "max rate through Jetty's proxy servlet (absolute)", "—",
                proxy.rate() + " req/s", (double) proxy.rate(), "—", Metric.Goal.none("req/s"), ""));
        Step g = gateway.best() != null ? gateway.best() : gateway.firstFailure();
        Step p = proxy.best() != null ? proxy.best() : proxy.firstFailure();
        double cpu = g == null ? Double.NaN : g.cpuMicrosPerRequest();
        if (Double.isNaN(cpu)) {
            out.add(Metric.unmeasured("cpu_us_per_request", "gateway CPU per request", Metric.Goal.none("µs"),
                    "no step to read the gateway's CPU time over"));
        } else {
            double proxyCpu = p == null ? Double.NaN : p.cpuMicrosPerRequest();
            out.add(new Metric("cpu_us_per_request", "gateway process CPU time per request (user + system)",
                    "proxy servlet " + Format.us(proxyCpu), Format.us(cpu), Stats.round(cpu, 0),
                    Format.number(cpu / proxyCpu) + "×", Metric.Goal.none("µs"),
                    "over the gateway's step at " + g.rate() + " req/s, the proxy's at " + (p == null ? 0 : p.rate())
                            + " req/s"));
        }
        return out;
    }

    private static Search search(LoadClient client, Targets t, URI relay, long pid, String body, Settings s,
                                 Map<Integer, Double> directP99) throws InterruptedException {
        List<String> log = new ArrayList<>();
        // Unmeasured: opens the connections a rate needs, so the first timed step is not also the
        // one that connects (it read as a 150 ms direct p99 otherwise).
        step(client, t.direct(), body, s.startRate(), 1_000, -1);
        step(client, relay, body, s.startRate(), 1_000, -1);
        Step best = null;
        Step failed = null;
        int rate = s.startRate();
        while (rate <= s.maxRate()) {
            Step step = step(client, relay, body, rate, s.stepMs(), pid);
            boolean pass = passes(client, t, body, step, s, directP99, log);
            if (!pass) {
                // Once more before the climb stops, for either relay: one stall of a few ms on the shared
                // box (a GC cycle, a compile, another process) made a p99 over 800 requests fail a rate
                // both relays passed above and below it, and the search never climbed past it.
                step = step(client, relay, body, rate, s.stepMs(), pid);
                pass = passes(client, t, body, step, s, directP99, log);
            }
            if (pass) {
                best = step;
                rate = (int) Math.ceil(rate * s.factor());
            } else {
                failed = step;
                break;
            }
        }
        for (int i = 0; i < s.refinements() && failed != null; i++) {
            int low = best == null ? 0 : best.rate();
            int mid = (int) Math.round(low == 0 ? failed.rate() / 2.0 : Math.sqrt((double) low * failed.rate()));
            if (mid <= low || mid >= failed.rate()) {
                break;
            }
            Step step = step(client, relay, body, mid, s.stepMs(), pid);
            if (passes(client, t, body, step, s, directP99, log)) {
                best = step;
            } else {
                failed = step;
            }
        }
        return new Search(best, failed, log);
    }

    private static boolean passes(LoadClient client, Targets t, String body, Step step, Settings s,
                                  Map<Integer, Double> directP99, List<String> log) throws InterruptedException {
        Double direct = directP99.get(step.rate());
        if (direct == null) {
            direct = step(client, t.direct(), body, step.rate(), s.stepMs(), -1).p99Us();
            directP99.put(step.rate(), direct);
        }
        double added = step.p99Us() - direct;
        boolean pass = added <= ADDED_P99_LIMIT_US;
        log.add(step.rate() + "/s: " + (Double.isInfinite(step.p99Us())
                ? (step.sent() - step.ok()) + " of " + step.sent() + " failed or late"
                : "added p99 " + Format.us(Stats.round(added, 0))) + (pass ? " pass" : " fail"));
        System.out.println("[bench] rate step " + log.get(log.size() - 1));
        return pass;
    }

    /** Sends {@code rate × stepMs} requests on schedule and times each from when it was due. */
    static Step step(LoadClient client, URI uri, String body, int rate, long stepMs, long pid)
            throws InterruptedException {
        int n = (int) Math.max(1, (long) rate * stepMs / 1000);
        long interval = 1_000_000_000L / rate;
        CountDownLatch done = new CountDownLatch(n);
        AtomicInteger inFlight = new AtomicInteger();
        Exchange[] all = new Exchange[n];
        Thread.sleep(300); // let the previous step's connections go quiet
        long cpuBefore = pid > 0 ? Targets.cpuNanos(pid) : -1;
        long start = System.nanoTime() + 1_000_000;
        for (int i = 0; i < n; i++) {
            long due = start + i * interval;
            for (long wait; (wait = due - System.nanoTime()) > 0; ) {
                if (wait > 100_000) {
                    LockSupport.parkNanos(wait - 50_000);
                } else {
                    Thread.onSpinWait();
                }
            }
            if (inFlight.get() >= MAX_IN_FLIGHT) {
                done.countDown(); // never sent: counts as failed
                continue;
            }
            inFlight.incrementAndGet();
            Exchange e = new Exchange(due, done, 0) {
                @Override
                public void onEnd(int status, Throwable failure) {
                    inFlight.decrementAndGet();
                    super.onEnd(status, failure);
                }
            };
            all[i] = e;
            client.stream(uri, body, e);
        }
        done.await(10, TimeUnit.SECONDS);
        long cpu = pid > 0 && cpuBefore >= 0 ? Targets.cpuNanos(pid) - cpuBefore : -1;
        double[] latency = new double[n];
        int ok = 0;
        for (int i = 0; i < n; i++) {
            Exchange e = all[i];
            if (e != null && e.ok(false)) {
                latency[i] = e.totalMicros();
                ok++;
            } else {
                latency[i] = Double.POSITIVE_INFINITY;
            }
        }
        return new Step(rate, n, ok, Stats.percentile(latency, 99), cpu);
    }
}
