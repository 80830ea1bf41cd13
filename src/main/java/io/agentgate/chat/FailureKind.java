package io.agentgate.chat;

/**
 * Why a run did not complete. Each kind is counted separately (runs table, metrics) so operators can
 * tell a flaky upstream from a bug in our own agent code. What a client sees of each kind (HTTP
 * status, error type) is decided by the HTTP layer's error mapper.
 */
public enum FailureKind {
    /** The upstream model's stream was cut before it finished. */
    STREAM_INTERRUPTED,
    /** The upstream model call failed or answered with an error. */
    UPSTREAM_ERROR,
    /** Our agent or tool code threw. */
    AGENT_ERROR,
    /** The upstream model did not answer in time. */
    TIMEOUT,
    /** The client went away or the run was stopped on request: not a failure. */
    CANCELLED,
    /**
     * The gateway instance running it died (crash, kill, lost host) before the run ended; recorded
     * later by the restarted instance or by another one once the dead one's lease expired. No client
     * is told: its connection died with the instance.
     */
    INTERRUPTED,
    /**
     * The gateway stopped (shutdown, undeploy, redeploy) before the run ended within the grace period;
     * the client is told with an error frame (or a 503), never a clean end.
     */
    SHUTDOWN,
    /** The database could not be reached in time: the turn is refused or ended rather than left unrecorded. */
    DATABASE_UNAVAILABLE;

    /** The stable name used in the runs table, metrics and error bodies. */
    public String code() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
