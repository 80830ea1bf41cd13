package io.agentgate.http;

import io.agentgate.config.GatewayConfig;
import io.agentgate.db.Database;
import io.agentgate.security.Secrets;
import io.agentgate.session.SessionService;
import io.agentgate.sse.KeepaliveScheduler;
import io.agentgate.turn.TurnRunner;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.agentgate.runs.RunTracker;
import io.agentgate.session.SessionQueries;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.FilterRegistration;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletRegistration;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;

/**
 * Registers every endpoint and filter of the gateway on a servlet context; this package's entry
 * point. Each servlet and filter gets only the services it uses.
 */
public final class HttpSurface {

    /** What the HTTP layer is built from. */
    public record Services(
            GatewayConfig config,
            Database database,
            PrometheusMeterRegistry metrics,
            List<String> modelIds,
            TurnRunner turns,
            RunTracker runs,
            SessionService sessions,
            ExecutorService agentExecutor,
            KeepaliveScheduler keepalives,
            ScheduledExecutorService scheduler,
            Secrets secrets,
            java.util.Set<String> serverToolNames) {}

    private HttpSurface() {}

    public static void register(ServletContext context, Services services) {
        GatewayConfig config = services.config();
        ErrorMapper errors = new ErrorMapper(services.secrets());
        FilterRegistration.Dynamic jsonErrors = context.addFilter("json-errors", new JsonErrorFilter(errors));
        jsonErrors.setAsyncSupported(true);
        jsonErrors.addMappingForUrlPatterns(EnumSet.of(DispatcherType.REQUEST), false, "/*");
        // CORS first, so that refusals (401, 413, 400) are readable by browser clients too.
        FilterRegistration.Dynamic cors = context.addFilter("cors", new CorsFilter(config.corsOrigins()));
        cors.setAsyncSupported(true);
        cors.addMappingForUrlPatterns(EnumSet.of(DispatcherType.REQUEST), false, "/*");
        FilterRegistration.Dynamic auth = context.addFilter("api-key", new ApiKeyFilter(config.apiKey(), errors));
        auth.setAsyncSupported(true);
        auth.addMappingForUrlPatterns(EnumSet.of(DispatcherType.REQUEST), true, "/v1/*");

        context.addServlet("error-page", new ErrorPageServlet(errors)).addMapping(ErrorPageServlet.PATH);
        context.addServlet("health", new HealthServlet(services.database()::isReady, services.turns()::isDraining))
                .addMapping("/health", "/health/ready");
        context.addServlet("metrics", new MetricsServlet(services.metrics()))
                .addMapping("/metrics");
        context.addServlet("models", new ModelsServlet(services.modelIds(), errors))
                .addMapping("/v1/models", "/v1/models/*");
        int keyMaxLength = config.sessions().keyMaxLength();
        ServletRegistration.Dynamic chat = context.addServlet("chat-completions", new ChatCompletionsServlet(
                new ChatRequestParser(config.model(), keyMaxLength, services.serverToolNames()),
                new BodyReader.Limits(config.maxRequestBytes(), config.requestBodyTimeout(), services.scheduler()),
                services.turns(), services.agentExecutor(), services.keepalives(), errors, config.sessions(),
                new ClosedConnectionWatch(services.scheduler())));
        chat.setAsyncSupported(true);
        chat.addMapping("/v1/chat/completions");
        // Read-only views for operators and the web console (webapp/console).
        SessionQueries sessionQueries = new SessionQueries(services.database().dataSource());
        context.addServlet("runs", new RunsServlet(services.runs().queries(), errors,
                        keyMaxLength))
                .addMapping("/v1/runs");
        context.addServlet("session-list", new SessionListServlet(sessionQueries, errors))
                .addMapping("/v1/sessions");
        context.addServlet("sessions", new SessionsServlet(services.sessions(), errors,
                        new SessionHistory(sessionQueries, errors, keyMaxLength), keyMaxLength))
                .addMapping("/v1/sessions/*");
    }
}
