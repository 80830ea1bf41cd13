package io.agentgate.http;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * {@code /health}: the process answers. {@code /health/ready}: the database answers and is migrated,
 * and the gateway is not stopping.
 */
final class HealthServlet extends HttpServlet {

    private final transient BooleanSupplier databaseReady;
    private final transient BooleanSupplier stopping;

    HealthServlet(BooleanSupplier databaseReady, BooleanSupplier stopping) {
        this.databaseReady = databaseReady;
        this.stopping = stopping;
    }

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        if (req.getServletPath().endsWith("/ready")) {
            // Both answer from state kept up to date elsewhere: readiness never waits on the database.
            boolean database = databaseReady.getAsBoolean();
            boolean draining = stopping.getAsBoolean();
            boolean ready = database && !draining;
            Responses.json(resp, ready ? 200 : 503, Map.of(
                    "status", ready ? "ready" : draining ? "stopping" : "unavailable",
                    "database", database ? "ok" : "unreachable"));
        } else {
            Responses.json(resp, 200, Map.of("status", "ok"));
        }
    }
}
