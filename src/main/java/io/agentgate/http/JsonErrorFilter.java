package io.agentgate.http;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;
import java.io.IOException;

/**
 * Turns {@code sendError} by any servlet of the application (the container's default servlet's 404,
 * {@code HttpServlet}'s 405 for a method it does not take) into an OpenAI JSON error written at
 * once. Containers only run error pages for some methods (Jetty: GET, POST and HEAD), so a
 * {@code DELETE} answered 405 would otherwise have an empty body; this works for every method.
 */
final class JsonErrorFilter extends HttpFilter {

    private final transient ErrorMapper errors;

    JsonErrorFilter(ErrorMapper errors) {
        this.errors = errors;
    }

    @Override
    protected void doFilter(HttpServletRequest req, HttpServletResponse resp, FilterChain chain)
            throws IOException, ServletException {
        chain.doFilter(req, new HttpServletResponseWrapper(resp) {
            @Override
            public void sendError(int status, String message) throws IOException {
                sendError(status);
            }

            @Override
            public void sendError(int status) throws IOException {
                if (isCommitted()) {
                    super.sendError(status);
                    return;
                }
                resetBuffer();
                Responses.error(resp, errors.containerError(status, req.getMethod(), req.getRequestURI()));
                resp.flushBuffer();
            }
        });
    }
}
