package io.agentgate.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Session get-or-create + transcript append latency, and start-up suspension of 100k recently
 * active sessions. Both call the gateway's own session code ({@code SessionService}), so they run
 * as a probe compiled against the gateway's classpath at run time ({@code bench/probes/SessionProbe.java})
 * with the gateway stopped, on the same data directory; a build without the session store reports
 * them unmeasured.
 */
final class SessionScenarios {

    record Settings(int clients, int opsPerClient, int suspendSessions) {}

    static final String SESSION_CLASS = "io/agentgate/session/SessionService.class";

    private SessionScenarios() {}

    static Metric sessionOps(GatewayLaunch launch, Path probes, Settings s) throws Exception {
        Metric.Goal goal = Metric.Goal.atMost(1.5, "");
        String scenario = "session get-or-create + transcript append p99 ÷ two bare commits p99, " + s.clients()
                + " clients";
        if (!hasSessions(launch)) {
            return Metric.unmeasured("session_op_ratio", scenario, goal, notMerged());
        }
        String r = probe(launch, probes, "session-ops", "ops", Integer.toString(s.clients()),
                Integer.toString(s.opsPerClient()));
        double p99 = number(r, "p99_ms");
        double base = number(r, "baseline_p99_ms");
        double ratio = Stats.round(p99 / base, 3);
        return new Metric("session_op_ratio", scenario,
                "INSERT … ON CONFLICT + UPDATE p99 " + Format.ms(base), Format.ms(p99), ratio,
                Format.number(ratio) + "×", goal,
                (long) number(r, "samples") + " ops through SessionService.begin + SessionTurn.complete, p50 "
                        + Format.ms(number(r, "p50_ms")) + ", baseline p50 " + Format.ms(number(r, "baseline_p50_ms"))
                        + "; both through the gateway's pool, alternating op by op after "
                        + (long) number(r, "warmup_per_client") + " warm-up iterations per client");
    }

    static Metric suspend(GatewayLaunch launch, Path probes, Settings s) throws Exception {
        Metric.Goal goal = Metric.Goal.atMost(1000, "ms");
        String scenario = "start-up suspension of " + s.suspendSessions() / 1000 + "k recently active sessions";
        if (!hasSessions(launch)) {
            return Metric.unmeasured("suspend_100k_ms", scenario, goal, notMerged());
        }
        String r = probe(launch, probes, "suspend", "suspend", Integer.toString(s.suspendSessions()));
        double ms = number(r, "ms");
        double base = number(r, "baseline_ms");
        return new Metric("suspend_100k_ms", scenario, "bare UPDATE of as many rows " + Format.ms(base),
                Format.ms(ms), Stats.round(ms, 0), Format.signed(ms - base, "ms"), goal,
                "SessionService.suspendAtStartup() (alone on the database) suspended " + (long) number(r, "suspended") + " sessions: "
                        + (long) number(r, "seeded") + " seeded plus those the session-ops scenario just used");
    }

    /** Runs the probe in its own JVM on the gateway's classpath; returns its RESULT JSON. */
    private static String probe(GatewayLaunch launch, Path probes, String name, String... args)
            throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(launch.tool("java").toString(), "-Xmx512m",
                "-cp", launch.classpath(), probes.resolve("SessionProbe.java").toString(), args[0],
                launch.workDir().resolve("data").toString()));
        cmd.addAll(List.of(args).subList(1, args.length));
        Path log = launch.workDir().resolve("logs").resolve("probe-" + name + ".log");
        Process p = null;
        String out = "";
        // The database the gateway just stopped may still be going down on a busy box (zonky gives
        // a start 10 s): one more try before the scenario reports itself failed.
        for (int attempt = 1; attempt <= 2; attempt++) {
            p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            if (!p.waitFor(10, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                throw new IOException("session probe timed out; see " + log);
            }
            out = Files.readString(log);
            if (p.exitValue() == 0 || !out.contains("Embedded PostgreSQL did not start")) {
                break;
            }
            System.out.println("[bench] session probe: the database did not start in time; trying once more");
            Thread.sleep(5_000);
        }
        Matcher m = Pattern.compile("(?m)^RESULT (\\{.*})$").matcher(out);
        if (p.exitValue() != 0 || !m.find()) {
            throw new IOException("session probe failed (exit " + p.exitValue() + "); see " + log);
        }
        return m.group(1);
    }

    private static double number(String json, String key) {
        Matcher m = Pattern.compile("\"" + key + "\":(-?[0-9.]+)").matcher(json);
        if (!m.find()) {
            throw new IllegalStateException("probe result has no " + key + ": " + json);
        }
        return Double.parseDouble(m.group(1));
    }

    private static String notMerged() {
        return "the session store (issue 6, package io.agentgate.session) is not in this build; "
                + "no figure is reported rather than one for code that does not exist yet";
    }

    static boolean hasSessions(GatewayLaunch launch) {
        for (String entry : launch.classpath().split(java.io.File.pathSeparator)) {
            Path p = Path.of(entry);
            if (Files.isDirectory(p) && Files.exists(p.resolve(SESSION_CLASS))) {
                return true;
            }
        }
        return false;
    }
}
