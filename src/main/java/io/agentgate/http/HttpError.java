package io.agentgate.http;

import io.agentgate.api.ApiError;
import java.util.Map;

/**
 * A refusal or failure as the client sees it: the HTTP status, the OpenAI error body, and headers
 * that tell a client's retry logic what to do ({@code x-should-retry}, {@code Retry-After}).
 */
record HttpError(int status, ApiError body, Map<String, String> headers) {

    /** Honoured by the OpenAI SDKs (openai-node, openai-python, openai-java) before their own status rules. */
    static final String SHOULD_RETRY = "x-should-retry";

    HttpError {
        headers = Map.copyOf(headers);
    }

    HttpError(int status, ApiError body) {
        this(status, body, Map.of());
    }

    /** The same error, telling the SDKs not to send the request again. */
    HttpError noRetry() {
        java.util.Map<String, String> more = new java.util.LinkedHashMap<>(headers);
        more.put(SHOULD_RETRY, "false");
        return new HttpError(status, body, more);
    }
}
