package io.agentgate.http;

import io.agentgate.api.ModelList;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Instant;

/** {@code GET /v1/models}: the models this gateway answers for. */
final class ModelsServlet extends HttpServlet {

    private static final long STARTED = Instant.now().getEpochSecond();

    private final transient java.util.List<String> modelIds;

    ModelsServlet(java.util.List<String> modelIds) {
        this.modelIds = java.util.List.copyOf(modelIds);
    }

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        Responses.json(resp, 200, ModelList.of(modelIds, STARTED));
    }
}
