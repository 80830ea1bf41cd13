package io.agentgate.http;

import io.agentgate.api.ApiError;

/** A refusal or failure as the client sees it: the HTTP status and the OpenAI error body. */
record HttpError(int status, ApiError body) {}
