package io.agentgate.http;

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
    private static final String ALLOW = "GET, HEAD, OPTIONS";

    private final transient ErrorMapper errors;

    ReadOnlyServlet(ErrorMapper errors) {
        this.errors = errors;
    }

    @Override
    protected void service(HttpServletRequest req, HttpServletResponse resp) throws ServletException, IOException {
        switch (req.getMethod()) {
            case "GET", "HEAD" -> { }
            case "OPTIONS" -> {
                resp.setHeader("Allow", ALLOW);
                resp.setStatus(HttpServletResponse.SC_NO_CONTENT);
                return;
            }
            default -> {
                resp.setHeader("Allow", ALLOW);
                Responses.error(resp, errors.methodNotAllowed());
                return;
            }
        }
        try {
            read(req, resp);
        } catch (ApiException e) {
            Responses.error(resp, e.error());
        } catch (RuntimeException e) {
            // The exception's message may quote bound values (session keys): only at DEBUG.
            log.warn("{} {} failed: {}", req.getMethod(), req.getServletPath(), e.getClass().getSimpleName());
            log.debug("{} {} failed", req.getMethod(), req.getRequestURI(), e);
            if (!resp.isCommitted()) {
                resp.reset();
                Responses.error(resp, errors.readFailed());
            }
        }
    }

    /** Answers the request; throws {@link ApiException} for bad parameters. */
    protected abstract void read(HttpServletRequest req, HttpServletResponse resp) throws ApiException, IOException;
}
