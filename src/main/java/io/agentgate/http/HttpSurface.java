package io.agentgate.http;

import io.agentgate.bootstrap.Gateway;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletRegistration;

/** Registers every endpoint of the gateway on a servlet context; the only entry point of this package. */
public final class HttpSurface {

    private HttpSurface() {}

    public static void register(ServletContext context, Gateway gateway) {
        context.addServlet("health", new HealthServlet(gateway.database()))
                .addMapping("/health", "/health/ready");
        context.addServlet("models", new ModelsServlet(gateway.model()))
                .addMapping("/v1/models");
        ServletRegistration.Dynamic chat = context.addServlet("chat-completions", new ChatCompletionsServlet(gateway));
        chat.setAsyncSupported(true);
        chat.addMapping("/v1/chat/completions");
        context.addServlet("sessions",
                        new SessionsServlet(gateway.sessions(), gateway.config().sessions().keyMaxLength()))
                .addMapping("/v1/sessions/*");
    }
}
