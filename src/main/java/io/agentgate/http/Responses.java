package io.agentgate.http;

import io.agentgate.api.Json;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/** Writes JSON bodies, the only way the gateway answers outside a stream. */
final class Responses {

    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(Responses.class);

    private static final String RETRY_AFTER_SECONDS = "1";

    private Responses() {}

    static void json(HttpServletResponse response, int status, Object body) throws IOException {
        byte[] bytes = Json.write(body).getBytes(StandardCharsets.UTF_8);
        response.setStatus(status);
        response.setContentType("application/json");
        response.setCharacterEncoding("UTF-8");
        response.setContentLength(bytes.length);
        response.getOutputStream().write(bytes);
    }

    static void error(HttpServletResponse response, HttpError error) throws IOException {
        if (error.status() == 503) {
            // Every 503 of the gateway is temporary (stopping, database unreachable): say when to come back.
            response.setHeader("Retry-After", RETRY_AFTER_SECONDS);
        }
        error.headers().forEach(response::setHeader);
        json(response, error.status(), error.body());
    }

    /** Answers an asynchronous request with an error and completes it. */
    static void refuse(AsyncContext async, HttpError error) {
        try {
            error((HttpServletResponse) async.getResponse(), error);
        } catch (IOException | IllegalStateException e) {
            log.debug("client gone before the refusal was written", e);
        }
        async.complete();
    }
}
