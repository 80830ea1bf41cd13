package io.agentgate.bench;

import java.net.URI;

/**
 * The three ways to the same fake model's {@code /v1/chat/completions}: direct, through the
 * gateway, and through Jetty's proxy servlet. {@code gatewayPid} and {@code proxyPid} are read for
 * process CPU time; all three pids for their JIT's activity during the warm-up (-1: unknown).
 */
record Targets(URI direct, URI gateway, URI proxy, long gatewayPid, long proxyPid, long upstreamPid) {

    /** Process CPU time (user + system) so far, in nanoseconds; -1 when the OS does not say. */
    static long cpuNanos(long pid) {
        return ProcessHandle.of(pid).flatMap(p -> p.info().totalCpuDuration()).map(d -> d.toNanos()).orElse(-1L);
    }
}
