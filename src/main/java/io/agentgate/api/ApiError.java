package io.agentgate.api;

import jakarta.json.bind.annotation.JsonbNillable;

/**
 * The OpenAI error body {@code {"error":{"message","type","param","code"}}}. The same shape is the
 * SSE error frame, which the official SDKs' stream parsers raise on.
 */
public record ApiError(Detail error) {

    public record Detail(String message, String type, @JsonbNillable String param, @JsonbNillable String code) {}

    public static ApiError of(String message, String type, String param, String code) {
        return new ApiError(new Detail(message, type, param, code));
    }

    public static ApiError invalidRequest(String message, String param) {
        return of(message, "invalid_request_error", param, param == null ? "invalid_request" : "invalid_value");
    }
}
