package io.agentgate.http;

import io.agentgate.api.ApiError;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@code GET}-only JSON endpoint: other methods get a JSON 405 (not the container's HTML page),
 * and a failed database read a JSON 500.
 */
abstract class ReadOnlyServlet extends HttpServlet {

    private static final Logger log = LoggerFactory.getLogger(ReadOnlyServlet.class);

    @Override
    protected void service(HttpServletRequest req, HttpServletResponse resp) throws ServletException, IOException {
        if (!"GET".equals(req.getMethod()) && !"HEAD".equals(req.getMethod())) {
            resp.setHeader("Allow", "GET, HEAD");
            Responses.error(resp, new HttpError(405, ApiError.of("Only GET is supported on this endpoint.",
                    "invalid_request_error", null, "method_not_allowed")));
            return;
        }
        try {
            read(req, resp);
        } catch (ApiException e) {
            Responses.error(resp, e.error());
        } catch (RuntimeException e) {
            log.warn("{} {} failed: {}", req.getMethod(), req.getRequestURI(), e.toString());
            log.debug("{} {} failed", req.getMethod(), req.getRequestURI(), e);
            if (!resp.isCommitted()) {
                resp.reset();
                Responses.error(resp, new HttpError(500, ApiError.of("The gateway could not read its database.",
                        "server_error", null, "database_error")));
            }
        }
    }

    /** Answers the request; throws {@link ApiException} for bad parameters. */
    protected abstract void read(HttpServletRequest req, HttpServletResponse resp) throws ApiException, IOException;
}
