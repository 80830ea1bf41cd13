package io.agentgate.bench;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Session get-or-create + transcript append latency, and start-up suspension of 100k recently
 * active sessions. Both call the gateway's own session code, so they run as probes compiled
 * against the gateway's classpath at run time ({@code bench/probes/*.java}); a build without the
 * session store reports them unmeasured.
 */
final class SessionScenarios {

    record Settings(int clients, int opsPerClient, int suspendSessions) {}

    static final String SESSION_CLASS = "io/agentgate/session/SessionService.class";

    private SessionScenarios() {}

    static Metric sessionOps(GatewayLaunch launch, Path work, Settings s) {
        Metric.Goal goal = Metric.Goal.atMost(2, "ms");
        String scenario = "session get-or-create + transcript append p99, " + s.clients() + " clients";
        if (!hasSessions(launch)) {
            return Metric.unmeasured("session_op_p99_ms", scenario, goal, notMerged());
        }
        return Metric.unmeasured("session_op_p99_ms", scenario, goal, "probe not written yet");
    }

    static Metric suspend(GatewayLaunch launch, Path work, Settings s) {
        Metric.Goal goal = Metric.Goal.atMost(1000, "ms");
        String scenario = "start-up suspension of " + s.suspendSessions() / 1000 + "k recently active sessions";
        if (!hasSessions(launch)) {
            return Metric.unmeasured("suspend_100k_ms", scenario, goal, notMerged());
        }
        return Metric.unmeasured("suspend_100k_ms", scenario, goal, "probe not written yet");
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
