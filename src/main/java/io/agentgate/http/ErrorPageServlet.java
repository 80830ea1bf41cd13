package io.agentgate.http;

import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * The container's error page: every status the container raises itself inside the application (no
 * servlet for the path, a method a servlet does not take, an uncaught exception) answers in
 * OpenAI's error shape instead of the container's HTML. The WAR maps it with {@code <error-page>}
 * in web.xml; the standalone server with Jetty's error page handler. Reached directly it is a 404.
 */
final class ErrorPageServlet extends HttpServlet {

    /** Where the error page is mapped (web.xml's {@code <location>} names it too). */
    static final String PATH = "/error";

    private final transient ErrorMapper errors;

    ErrorPageServlet(ErrorMapper errors) {
        this.errors = errors;
    }

    @Override
    protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        Object status = req.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
        String method = req.getMethod();
        String path = (String) req.getAttribute(RequestDispatcher.ERROR_REQUEST_URI);
        HttpError error = status instanceof Integer code
                ? errors.containerError(code, method, path)
                : errors.containerError(404, method, req.getRequestURI());
        if (resp.isCommitted()) {
            return;
        }
        resp.resetBuffer();
        Responses.error(resp, error);
    }
}
