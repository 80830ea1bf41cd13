package io.agentgate.http;

import io.agentgate.api.ApiError;
import io.agentgate.api.Json;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/** Writes JSON bodies, the only way the gateway answers outside a stream. */
final class Responses {

    private Responses() {}

    static void json(HttpServletResponse response, int status, Object body) throws IOException {
        byte[] bytes = Json.write(body).getBytes(StandardCharsets.UTF_8);
        response.setStatus(status);
        response.setContentType("application/json");
        response.setCharacterEncoding("UTF-8");
        response.setContentLength(bytes.length);
        response.getOutputStream().write(bytes);
    }

    static void error(HttpServletResponse response, int status, ApiError error) throws IOException {
        json(response, status, error);
    }

    static void error(HttpServletResponse response, ApiException e) throws IOException {
        json(response, e.status(), e.body());
    }
}
