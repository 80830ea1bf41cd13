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

    /**
     * The body for a status the servlet container raised itself (no route, wrong method, a request
     * line or headers too long, a malformed request): never the container's HTML page.
     */
    public static ApiError forStatus(int status, String message) {
        String code = switch (status) {
            case 400 -> "bad_request";
            case 404 -> "not_found";
            case 405 -> "method_not_allowed";
            case 408 -> "request_timeout";
            case 411 -> "length_required";
            case 413 -> "request_too_large";
            case 414 -> "uri_too_long";
            case 415 -> "unsupported_media_type";
            case 431 -> "headers_too_large";
            case 501 -> "not_implemented";
            case 503 -> "unavailable";
            default -> status >= 500 ? "server_error" : "invalid_request";
        };
        return of(message, status >= 500 ? "server_error" : "invalid_request_error", null, code);
    }

    /** A generic English text for a status, for when the container gave none worth showing. */
    public static String statusText(int status) {
        return switch (status) {
            case 400 -> "The request is malformed.";
            case 404 -> "Unknown endpoint.";
            case 405 -> "This method is not allowed on this endpoint.";
            case 408 -> "The request was not received in time.";
            case 413 -> "The request body is too large.";
            case 414 -> "The request URI is too long.";
            case 431 -> "The request headers are too large.";
            case 503 -> "The service is unavailable.";
            default -> status >= 500 ? "The server failed to answer this request." : "The request was refused (HTTP "
                    + status + ").";
        };
    }
}
