package io.agentgate.http;

import io.agentgate.api.ApiError;

/** A request the gateway refuses, with the HTTP status and the OpenAI error body to answer. */
public final class ApiException extends Exception {

    private final int status;
    private final ApiError body;

    public ApiException(int status, ApiError body) {
        super(body.error().message());
        this.status = status;
        this.body = body;
    }

    public static ApiException invalid(String message, String param) {
        return new ApiException(400, ApiError.invalidRequest(message, param));
    }

    public int status() {
        return status;
    }

    public ApiError body() {
        return body;
    }
}
