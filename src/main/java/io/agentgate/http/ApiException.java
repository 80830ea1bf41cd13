package io.agentgate.http;

import io.agentgate.api.ApiError;

/** A request the gateway refuses while reading it, with the status and OpenAI error body to answer. */
final class ApiException extends Exception {

    private final HttpError error;

    ApiException(int status, ApiError body) {
        super(body.error().message());
        this.error = new HttpError(status, body);
    }

    static ApiException invalid(String message, String param) {
        return new ApiException(400, ApiError.invalidRequest(message, param));
    }

    HttpError error() {
        return error;
    }
}
