package io.agentgate.bench;

import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The load client JVM: runs every scenario against gateways it starts and stops itself (each with
 * the run profile's command line), and writes {@code latest.json} and {@code latest.md}. A scenario
 * that cannot run reports null with the reason, never a made-up number.
 */
public final class BenchMain {

    static final String UPSTREAM_MODEL = "bench-model";

    /** How long and how much: {@code --quick} keeps the whole run within about ten minutes. */
    record Profile(String name, int warmupRequests, int addedPairs, MaxRateScenario.Settings rates,
                   int streamRounds, int relayChunks, int relayRounds,
                   HeldStreamsScenario.Settings held, int coldStarts, SessionScenarios.Settings sessions,
                   StopScenario.Settings stops) {
        static final Profile QUICK = new Profile("quick", Warmup.MIN_REQUESTS, 1_000,
                new MaxRateScenario.Settings(250, 1.6, 40_000, 2_000, 2), 2, 5_000, 3,
                new HeldStreamsScenario.Settings(3_000, 10_000, 60_000), 3,
                new SessionScenarios.Settings(16, 300, 100_000), new StopScenario.Settings(50, 6));
        static final Profile FULL = new Profile("full", 2 * Warmup.MIN_REQUESTS, 5_000,
                new MaxRateScenario.Settings(250, 1.5, 40_000, 5_000, 3), 5, 20_000, 5,
                new HeldStreamsScenario.Settings(3_000, 60_000, 120_000), 5,
                new SessionScenarios.Settings(16, 2_000, 100_000), new StopScenario.Settings(50, 20));
    }

    /** A scenario body that may throw; its keys are reported unmeasured with the error if it does. */
    private interface Body {
        List<Metric> run() throws Exception;
    }

    private BenchMain() {}

    public static void main(String[] argv) throws Exception {
        Args args = Args.parse(argv);
        Profile profile = args.flag("--quick") ? Profile.QUICK : Profile.FULL;
        Path work = Path.of(args.required("--work")).toAbsolutePath();
        Path results = Path.of(args.required("--results")).toAbsolutePath();
        GatewayLaunch launch = GatewayLaunch.read(Path.of(args.required("--gateway-cmd")),
                Path.of(args.required("--jdk")), work, args.flag("--jfr"));
        URI upstream = URI.create("http://127.0.0.1:" + args.required("--upstream-port") + "/");
        URI proxy = URI.create("http://127.0.0.1:" + args.required("--proxy-port") + "/");
        long proxyPid = Long.parseLong(args.required("--proxy-pid"));
        long upstreamPid = Long.parseLong(args.string("--upstream-pid", "-1"));
        String dataDir = work.resolve("data").toString();
        Path probes = Path.of(args.required("--probes")).toAbsolutePath();
        // --only upstream|held|sessions|replicas|cold-start: one group of scenarios, for profiling; the others report null.
        String only = args.string("--only", "");

        List<Metric> metrics = new ArrayList<>();
        try (LoadClient client = new LoadClient(2_048)) {
            UpstreamCheck upstreamCheck = new UpstreamCheck(client, upstream.resolve("bench/stats"));
            Map<String, String> viaUpstream = Map.of(
                    "AGENTGATE_DATA_DIR", dataDir,
                    "AGENTGATE_UPSTREAM_BASE_URL", upstream.resolve("v1").toString(),
                    "AGENTGATE_MODEL", UPSTREAM_MODEL);
            List<String> upstreamKeys = List.of("added_p50_us", "added_p99_us", "ttft_added_p50_us",
                    "ttft_added_p99_us", "max_rps_ratio", "max_rps", "max_rps_proxy", "cpu_us_per_request",
                    "stream_added_frame_p99_us", "stream_stalls", "relay_ratio");
            guard(metrics, only, "upstream", upstreamKeys, () -> {
                try (GatewayProcess g = GatewayProcess.start(launch, "upstream", viaUpstream)) {
                    g.awaitReady(client, 180_000);
                    String completions = "v1/chat/completions";
                    Targets t = new Targets(upstream.resolve(completions), g.uri(completions),
                            proxy.resolve(completions), g.pid(), proxyPid, upstreamPid);
                    return upstreamScenarios(client, t, upstreamCheck, profile);
                }
            });

            double keepalive = 1.0;
            Map<String, String> quiet = Map.of(
                    "AGENTGATE_DATA_DIR", dataDir,
                    "AGENTGATE_DEMO_WORD_DELAY_MS", Long.toString(3_600_000),
                    "AGENTGATE_KEEPALIVE_SECONDS", Double.toString(keepalive));
            guard(metrics, only, "held", List.of("max_streams_held", "heap_mib_at_10k", "keepalive_max_gap_s"), () -> {
                try (GatewayProcess g = GatewayProcess.start(launch, "held-streams", quiet)) {
                    g.awaitReady(client, 120_000);
                    System.out.println("[bench] held streams ramp");
                    return HeldStreamsScenario.run(g, profile.held(), keepalive);
                }
            });

            System.out.println("[bench] session scenarios");
            guard(metrics, only, "sessions", List.of("session_op_ratio"),
                    () -> List.of(SessionScenarios.sessionOps(launch, probes, profile.sessions())));
            guard(metrics, only, "sessions", List.of("suspend_100k_ms"),
                    () -> List.of(SessionScenarios.suspend(launch, probes, profile.sessions())));

            System.out.println("[bench] stop across replicas");
            guard(metrics, only, "replicas", List.of("stop_cross_instance_p50_ms", "stop_cross_instance_p99_ms"),
                    () -> StopScenario.run(launch, client, dataDir, profile.stops()));

            System.out.println("[bench] cold start");
            guard(metrics, only, "cold-start", List.of("cold_start_ms"),
                    () -> List.of(ColdStartScenario.run(launch, client, quiet, profile.coldStarts())));
        }

        metrics.sort(Comparator.comparingInt(m -> Results.KEYS.indexOf(m.key())));
        String command = args.string("--command", "bench/run" + (profile == Profile.QUICK ? " --quick" : ""));
        Results.write(results, metrics, machine(launch), profile.name(), command);
        System.out.println(Results.markdown(metrics, machine(launch), profile.name(), command));
        if (args.values().containsKey("--compare")) {
            System.out.println("[bench] each figure beside the committed bench/results/latest.json:");
            System.out.println(Results.comparison(metrics, Path.of(args.required("--compare"))));
        }
    }

    /**
     * Every scenario that needs the fake model: one gateway, warmed with at least 10,000 requests on
     * each path (direct, gateway, proxy servlet) first. A scenario that fails reports its keys
     * unmeasured and the next one still runs.
     */
    private static List<Metric> upstreamScenarios(LoadClient client, Targets t, UpstreamCheck upstreamCheck,
                                                  Profile profile) throws Exception {
        List<String> bodies = List.of(
                Batch.chatBody(UPSTREAM_MODEL, AddedLatencyScenario.SMALL, false),
                Batch.chatBody(UPSTREAM_MODEL, AddedLatencyScenario.SMALL, true));
        long before = upstreamCheck.completions();
        Map<URI, Long> pids = Map.of(t.direct(), t.upstreamPid(), t.proxy(), t.proxyPid(), t.gateway(), t.gatewayPid());
        for (var target : List.of(t.direct(), t.proxy(), t.gateway())) {
            System.out.println("[bench] warm-up: at least " + profile.warmupRequests() + " requests to " + target
                    + ", until its JIT settles");
            System.out.println("[bench] warm-up: " + Warmup.untilSettled(client, target, bodies,
                    profile.warmupRequests(), 8, pids.get(target)));
        }
        if (upstreamCheck.completions() - before < 3L * profile.warmupRequests()) {
            throw new IllegalStateException(UpstreamCheck.NOT_CALLED);
        }
        List<Metric> out = new ArrayList<>();
        guard(out, "", "upstream", List.of("added_p50_us", "added_p99_us", "ttft_added_p50_us", "ttft_added_p99_us"),
                () -> {
                    awaitIdle(client, t.gateway().resolve("/metrics"));
                    System.out.println("[bench] added latency at concurrency 1");
                    return AddedLatencyScenario.run(client, t, UPSTREAM_MODEL, profile.addedPairs());
                });
        guard(out, "", "upstream", List.of("max_rps_ratio", "max_rps", "max_rps_proxy", "cpu_us_per_request"), () -> {
            awaitIdle(client, t.gateway().resolve("/metrics"));
            System.out.println("[bench] max fixed arrival rate");
            return MaxRateScenario.run(client, t, UPSTREAM_MODEL, profile.rates());
        });
        guard(out, "", "upstream", List.of("stream_added_frame_p99_us", "stream_stalls"), () -> {
            awaitIdle(client, t.gateway().resolve("/metrics"));
            System.out.println("[bench] 512 paced streams");
            return StreamFramesScenario.run(client, t, UPSTREAM_MODEL, profile.streamRounds());
        });
        guard(out, "", "upstream", List.of("relay_ratio"), () -> {
            awaitIdle(client, t.gateway().resolve("/metrics"));
            System.out.println("[bench] relay throughput");
            return List.of(RelayScenario.run(client, t, UPSTREAM_MODEL, upstreamCheck, profile.relayChunks(),
                    profile.relayRounds()));
        });
        return out;
    }

    /**
     * Waits (at most 60 s) until the gateway has no run in flight, then a second more: a
     * scenario starts on an idle gateway, not on the backlog the last overloaded rate step left
     * (thousands of late requests still being answered when the paced streams began cost those
     * streams gaps of 100 ms and more in some runs and none in others).
     */
    static void awaitIdle(LoadClient client, URI metrics) throws InterruptedException {
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (System.nanoTime() < deadline) {
            String text = client.getText(metrics);
            Matcher m = IN_FLIGHT.matcher(text == null ? "" : text);
            if (m.find() && Double.parseDouble(m.group(1)) == 0) {
                break;
            }
            Thread.sleep(100);
        }
        Thread.sleep(1_000);
    }

    private static final Pattern IN_FLIGHT = Pattern.compile("(?m)^agentgate_runs_in_flight(?:\\{[^}]*\\})? ([0-9.eE+-]+)");

    private static void guard(List<Metric> metrics, String only, String group, List<String> keys, Body body) {
        if (!only.isEmpty() && !only.equals(group)) {
            keys.forEach(k -> metrics.add(Metric.unmeasured(k, k, Metric.Goal.atLeast(0, ""),
                    "not run (--only " + only + ")")));
            return;
        }
        try {
            metrics.addAll(body.run());
        } catch (Exception e) {
            System.out.println("[bench] scenario failed: " + e);
            e.printStackTrace(System.out);
            for (String key : keys) {
                metrics.add(Metric.unmeasured(key, key, Metric.Goal.atLeast(0, ""), "scenario failed: " + Format.brief(e)));
            }
        }
    }

    private static Map<String, String> machine(GatewayLaunch launch) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("cores", Integer.toString(Runtime.getRuntime().availableProcessors()));
        m.put("jdk", System.getProperty("java.vendor") + " " + System.getProperty("java.runtime.version"));
        Matcher xmx = Pattern.compile("-Xmx(\\S+)").matcher(launch.jvmArgs());
        m.put("heap", xmx.find() ? xmx.group(1) : "JVM default");
        m.put("gateway_jvm_args", launch.jvmArgs());
        m.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version"));
        m.put("open_files_limit", System.getenv().getOrDefault("BENCH_NOFILE", "unknown"));
        return m;
    }
}
