package io.agentgate.http;

import io.agentgate.db.Database;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Map;

/** {@code /health}: the process answers. {@code /health/ready}: the database answers and is migrated. */
final class HealthServlet extends HttpServlet {

    private final transient Database database;

    HealthServlet(Database database) {
        this.database = database;
    }

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        if (req.getServletPath().endsWith("/ready")) {
            boolean ready = database.isReady();
            Responses.json(resp, ready ? 200 : 503,
                    Map.of("status", ready ? "ready" : "unavailable", "database", ready ? "ok" : "unreachable"));
        } else {
            Responses.json(resp, 200, Map.of("status", "ok"));
        }
    }
}
