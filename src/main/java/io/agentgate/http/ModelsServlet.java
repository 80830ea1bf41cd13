package io.agentgate.http;

import io.agentgate.api.ModelList;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Instant;
import java.util.List;

/**
 * {@code GET /v1/models}: the models this gateway answers for; {@code GET /v1/models/{id}}: one of
 * them, or 404 {@code model_not_found} (the id may contain {@code /}, as upstream ids often do).
 */
final class ModelsServlet extends HttpServlet {

    private static final long STARTED = Instant.now().getEpochSecond();

    private final transient List<String> modelIds;
    private final transient ErrorMapper errors;

    ModelsServlet(List<String> modelIds, ErrorMapper errors) {
        this.modelIds = List.copyOf(modelIds);
        this.errors = errors;
    }

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        String path = req.getPathInfo();
        ModelList all = ModelList.of(modelIds, STARTED);
        if (path == null || path.equals("/")) {
            Responses.json(resp, 200, all);
            return;
        }
        String id = path.substring(1);
        var model = all.data().stream().filter(m -> m.id().equals(id)).findFirst();
        if (model.isPresent()) {
            Responses.json(resp, 200, model.get());
        } else {
            Responses.error(resp, errors.notFound("The model '" + id + "' does not exist.", "model_not_found"));
        }
    }
}
