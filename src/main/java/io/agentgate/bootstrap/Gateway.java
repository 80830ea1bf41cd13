package io.agentgate.bootstrap;

import io.agentgate.config.GatewayConfig;
import io.agentgate.db.Database;
import io.agentgate.llm.ModelClient;
import io.agentgate.runs.RunTracker;
import io.agentgate.session.SessionService;
import io.agentgate.sse.KeepaliveScheduler;
import io.agentgate.tools.ToolRegistry;
import io.agentgate.turn.TurnRunner;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.concurrent.ExecutorService;

/**
 * The services one deployment of the gateway runs on, built by {@link GatewayBootstrap} and closed
 * with the servlet context. Published as a context attribute for operators' tooling and tests; the
 * HTTP layer never sees it (each servlet gets the services it uses).
 */
public record Gateway(
        GatewayConfig config,
        Database database,
        ModelClient model,
        ToolRegistry tools,
        ExecutorService agentExecutor,
        KeepaliveScheduler keepalives,
        PrometheusMeterRegistry metrics,
        SessionService sessions,
        RunTracker runs,
        TurnRunner turns) {

    /** Servlet context attribute under which the running gateway is published. */
    public static final String ATTRIBUTE = Gateway.class.getName();

    /**
     * The deployment is about to stop (called by the launcher before the server closes connections,
     * and by the context's destruction): turns cut from now on leave their sessions suspended.
     */
    public void stopping() {
        sessions.stopping();
    }
}
