package io.agentgate.http;

import io.agentgate.api.ApiError;
import io.agentgate.chat.Cancellation;
import io.agentgate.chat.ChatFailure;
import io.agentgate.chat.FailureKind;
import io.agentgate.security.Secrets;
import io.agentgate.session.SessionKeys;
import io.agentgate.turn.TurnFailure;
import java.util.Optional;

/**
 * Every failure a client is told about, in OpenAI's shape: the HTTP status, {@code type} and
 * {@code code} for each kind of failure, and the message, redacted once more in case it echoes
 * upstream text. Every servlet and filter answers its errors through this one mapper.
 */
final class ErrorMapper {

    private final Secrets secrets;

    ErrorMapper(Secrets secrets) {
        this.secrets = secrets;
    }

    /**
     * What the client is told of a failed turn; empty when nobody is there to tell, or nobody should
     * be. Every answer but a 503 says {@code x-should-retry: false}: the same request cannot succeed
     * (400, 409 busy), or the gateway already retried what a retry could fix (429, 5xx, connection
     * failures); otherwise the SDKs' default retries (two more tries of 408, 409, 429, 5xx) would
     * triple each upstream failure: the gateway's retries are the only ones. A 503 (stopping,
     * database unavailable) is temporary and left to the SDKs' retries.
     */
    Optional<HttpError> of(TurnFailure failure) {
        return switch (failure) {
            case TurnFailure.SessionBusy busy -> Optional.of(sessionBusy(busy.sessionKey()));
            case TurnFailure.MissingNewInput missing -> Optional.of(new HttpError(400,
                    ApiError.invalidRequest(SessionProtocol.MISSING_NEW_INPUT_TEXT, "messages")).noRetry());
            case TurnFailure.SessionUnavailable unavailable -> Optional.of(failure(FailureKind.DATABASE_UNAVAILABLE,
                    "The session could not be loaded: the database is unavailable. Retry shortly."));
            case TurnFailure.Failed failed when failed.upstreamStatus() != 0 -> Optional.of(upstreamStatus(failed));
            case TurnFailure.Failed failed -> Optional.of(noRetryUnlessUnavailable(failure(failed.kind(),
                    failed.message())));
            case TurnFailure.Cancelled cancelled -> cancelled.reason() == Cancellation.Reason.STOPPED
                    ? Optional.of(failure(FailureKind.CANCELLED, "Stopped by /stop. " + SessionProtocol.STOPPED_TEXT))
                    // The client left (or a deadline passed): nobody is there to read it (see docs/agent.md).
                    // A turn the gateway's shutdown ended arrives as a Failed of kind SHUTDOWN instead.
                    : Optional.empty();
        };
    }

    HttpError of(ChatFailure failure) {
        return failure(failure.kind(), failure.getMessage());
    }

    /**
     * Adds {@code x-should-retry: false} except to a 503 (the gateway stopping, its database away):
     * that one is temporary, another instance may answer, and its {@code Retry-After} says when.
     */
    private static HttpError noRetryUnlessUnavailable(HttpError error) {
        return error.status() == 503 ? error : error.noRetry();
    }

    /** 409 without retries: the SDKs retry 409 by default, which only keeps a busy session busier. */
    HttpError sessionBusy(String sessionKey) {
        return new HttpError(409, ApiError.of("Session '" + SessionKeys.redact(sessionKey)
                + "' is busy with another request; wait for it to finish or send /stop.",
                "invalid_request_error", null, "session_busy")).noRetry();
    }

    /**
     * An upstream that answered with an error status (after the gateway's own retries of 429 and
     * 5xx): a rate limit is passed on as 429 with the upstream's {@code Retry-After}; a request the
     * upstream refused (400, 404, 422: context too long, unknown parameter) is the client's 400 with
     * the upstream's (redacted) message; refused credentials (401, 403) are the gateway's problem,
     * 502 saying so; anything else 502. The kind stays {@code upstream_error} (runs, metrics).
     */
    private HttpError upstreamStatus(TurnFailure.Failed failed) {
        int upstream = failed.upstreamStatus();
        String message = secrets.redact(failed.message());
        String code = failed.kind().code();
        HttpError error = switch (upstream) {
            case 429 -> new HttpError(429, ApiError.of(message, "rate_limit_error", null, code));
            case 400, 404, 422 -> new HttpError(400, ApiError.of(message, "invalid_request_error", null, code));
            case 401, 403 -> new HttpError(502, ApiError.of("The upstream model refused the gateway's credentials "
                    + "(HTTP " + upstream + "); the gateway's AGENTGATE_UPSTREAM_API_KEY needs fixing.", "api_error",
                    null, code));
            default -> new HttpError(status(failed.kind()), ApiError.of(message, errorType(failed.kind()), null, code));
        };
        if (upstream == 429 && failed.retryAfter() != null) {
            // For the application to schedule a later try; the SDK itself does not retry (see above).
            error = new HttpError(429, error.body(), java.util.Map.of("Retry-After", failed.retryAfter()));
        }
        return error.noRetry();
    }

    /** A turn refused because the gateway is stopping (or its executor is gone). */
    HttpError shuttingDown() {
        return failure(FailureKind.SHUTDOWN, io.agentgate.turn.TurnRunner.SHUTTING_DOWN_MESSAGE);
    }

    HttpError requestTooLarge(long maxBytes) {
        return new HttpError(413, ApiError.of("Request body is larger than the limit of " + maxBytes + " bytes.",
                "invalid_request_error", null, "request_too_large"));
    }

    HttpError requestTimeout(java.time.Duration limit) {
        return new HttpError(408, ApiError.of("The request body was not received within " + limit.toMillis()
                + " ms.", "invalid_request_error", null, "request_timeout"));
    }

    /**
     * A status the container raised itself. The container's own message is not passed on (it may
     * name exceptions or echo the request); the method and path are the client's own.
     */
    HttpError containerError(int status, String method, String path) {
        String where = path == null ? "" : " (" + method + " " + secrets.redact(truncate(path)) + ")";
        String message = switch (status) {
            case 404 -> "Unknown endpoint" + where + ".";
            case 405 -> "Method " + method + " is not allowed on this endpoint" + where + ".";
            default -> ApiError.statusText(status);
        };
        return new HttpError(status, ApiError.forStatus(status, message));
    }

    private static String truncate(String path) {
        return path.length() > 200 ? path.substring(0, 200) + "…" : path;
    }

    HttpError unauthorized(String message) {
        return new HttpError(401, ApiError.of(message, "invalid_request_error", null, "invalid_api_key"));
    }

    HttpError notFound(String message, String code) {
        return new HttpError(404, ApiError.of(message, "invalid_request_error", null, code));
    }

    /** A method a read-only endpoint does not answer (rather than the container's HTML 405). */
    HttpError methodNotAllowed() {
        return new HttpError(405, ApiError.of("Only GET is supported on this endpoint.", "invalid_request_error",
                null, "method_not_allowed"));
    }

    /** A listing whose database read failed (details are logged, never sent). */
    HttpError readFailed() {
        return new HttpError(500, ApiError.of("The gateway could not read its database.", "server_error", null,
                "database_error"));
    }

    private HttpError failure(FailureKind kind, String message) {
        return new HttpError(status(kind), ApiError.of(secrets.redact(message), errorType(kind), null, kind.code()));
    }

    static int status(FailureKind kind) {
        return switch (kind) {
            case STREAM_INTERRUPTED, UPSTREAM_ERROR -> 502;
            case AGENT_ERROR, INTERRUPTED -> 500;
            case TIMEOUT -> 504;
            case CANCELLED -> 499;
            case SHUTDOWN, DATABASE_UNAVAILABLE -> 503;
        };
    }

    /** The OpenAI error {@code type} a client sees. */
    static String errorType(FailureKind kind) {
        return switch (kind) {
            case STREAM_INTERRUPTED, UPSTREAM_ERROR -> "api_error";
            case AGENT_ERROR, INTERRUPTED -> "server_error";
            case TIMEOUT -> "timeout";
            case CANCELLED -> "cancelled";
            case SHUTDOWN, DATABASE_UNAVAILABLE -> "server_error";
        };
    }
}
