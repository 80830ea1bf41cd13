package io.agentgate.bootstrap;

import io.agentgate.agent.Agent;
import io.agentgate.config.GatewayConfig;
import io.agentgate.db.Database;
import io.agentgate.model.ModelClient;
import io.agentgate.runs.RunTracker;
import io.agentgate.security.Secrets;
import io.agentgate.session.SessionService;
import io.agentgate.sse.KeepaliveScheduler;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.concurrent.ExecutorService;

/**
 * The services one deployment of the gateway runs on, built by {@link GatewayBootstrap} and closed
 * with the servlet context.
 */
public record Gateway(
        GatewayConfig config,
        Database database,
        ModelClient model,
        Agent agent,
        ExecutorService agentExecutor,
        KeepaliveScheduler keepalives,
        RunTracker runs,
        PrometheusMeterRegistry metrics,
        Secrets secrets,
        SessionService sessions) {

    /** Servlet context attribute under which the running gateway is published. */
    public static final String ATTRIBUTE = Gateway.class.getName();
}
