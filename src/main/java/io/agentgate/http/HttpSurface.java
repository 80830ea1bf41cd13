package io.agentgate.http;

import io.agentgate.bootstrap.Gateway;
import io.agentgate.runs.RunQueries;
import io.agentgate.session.SessionQueries;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.FilterRegistration;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletRegistration;
import java.util.EnumSet;

/** Registers every endpoint and filter of the gateway on a servlet context; this package's entry point. */
public final class HttpSurface {

    private HttpSurface() {}

    public static void register(ServletContext context, Gateway gateway) {
        // CORS first, so that refusals (401, 413, 400) are readable by browser clients too.
        FilterRegistration.Dynamic cors = context.addFilter("cors", new CorsFilter(gateway.config().corsOrigins()));
        cors.setAsyncSupported(true);
        cors.addMappingForUrlPatterns(EnumSet.of(DispatcherType.REQUEST), false, "/*");
        FilterRegistration.Dynamic auth = context.addFilter("api-key", new ApiKeyFilter(gateway.config().apiKey()));
        auth.setAsyncSupported(true);
        auth.addMappingForUrlPatterns(EnumSet.of(DispatcherType.REQUEST), true, "/v1/*");

        context.addServlet("health", new HealthServlet(gateway.database()))
                .addMapping("/health", "/health/ready");
        context.addServlet("metrics", new MetricsServlet(gateway.metrics()))
                .addMapping("/metrics");
        context.addServlet("models", new ModelsServlet(gateway.model()))
                .addMapping("/v1/models");
        ServletRegistration.Dynamic chat = context.addServlet("chat-completions", new ChatCompletionsServlet(gateway));
        chat.setAsyncSupported(true);
        chat.addMapping("/v1/chat/completions");
        // Read-only views for operators and the web console (webapp/console).
        int keyMaxLength = gateway.config().sessions().keyMaxLength();
        SessionQueries sessionQueries = new SessionQueries(gateway.database().dataSource());
        context.addServlet("runs", new RunsServlet(new RunQueries(gateway.database().dataSource()), keyMaxLength))
                .addMapping("/v1/runs");
        context.addServlet("session-list", new SessionListServlet(sessionQueries))
                .addMapping("/v1/sessions");
        context.addServlet("sessions", new SessionsServlet(gateway.sessions(),
                        new SessionHistory(sessionQueries, keyMaxLength), keyMaxLength))
                .addMapping("/v1/sessions/*");
    }
}
