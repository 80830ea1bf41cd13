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

    /** What the client is told of a failed turn; empty when nobody is there to tell, or nobody should be. */
    Optional<HttpError> of(TurnFailure failure) {
        return switch (failure) {
            case TurnFailure.SessionBusy busy -> Optional.of(sessionBusy(busy.sessionKey()));
            case TurnFailure.MissingNewInput missing -> Optional.of(new HttpError(400,
                    ApiError.invalidRequest(SessionProtocol.MISSING_NEW_INPUT_TEXT, "messages")));
            case TurnFailure.SessionUnavailable unavailable -> Optional.of(failure(FailureKind.DATABASE_UNAVAILABLE,
                    "The session could not be loaded: the database is unavailable. Retry shortly."));
            case TurnFailure.Failed failed -> Optional.of(failure(failed.kind(), failed.message()));
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

    HttpError sessionBusy(String sessionKey) {
        return new HttpError(409, ApiError.of("Session '" + SessionKeys.redact(sessionKey)
                + "' is busy with another request; wait for it to finish or send /stop.",
                "invalid_request_error", null, "session_busy"));
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
