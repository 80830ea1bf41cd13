package io.agentgate.llm;

import io.agentgate.chat.ChatFailure;
import io.agentgate.chat.FailureKind;

/**
 * Why one upstream attempt failed and whether another attempt may help. The client message is safe
 * to show; the detail (raw upstream text) only goes into the cause, which is logged at debug.
 */
final class UpstreamFailure extends Exception {

    private final FailureKind kind;
    private final boolean retryable;
    private final String clientMessage;
    private final int status;
    private final String retryAfter;

    private UpstreamFailure(FailureKind kind, boolean retryable, String clientMessage, String detail,
                            Throwable cause) {
        this(kind, retryable, clientMessage, detail, cause, 0, null);
    }

    private UpstreamFailure(FailureKind kind, boolean retryable, String clientMessage, String detail,
                            Throwable cause, int status, String retryAfter) {
        super(detail, cause);
        this.kind = kind;
        this.retryable = retryable;
        this.clientMessage = clientMessage;
        this.status = status;
        this.retryAfter = retryAfter;
    }

    static UpstreamFailure retryable(FailureKind kind, String clientMessage, Throwable cause) {
        return new UpstreamFailure(kind, true, clientMessage, String.valueOf(cause), cause);
    }

    static UpstreamFailure fatal(FailureKind kind, String clientMessage, Throwable cause) {
        return new UpstreamFailure(kind, false, clientMessage, String.valueOf(cause), cause);
    }

    /**
     * A non-2xx answer: 429 and 5xx are worth another attempt, other statuses are not. The status
     * and {@code Retry-After} travel on, so the client hears of a rate limit as a rate limit.
     */
    static UpstreamFailure status(int status, String clientMessage, String rawBody, String retryAfter) {
        boolean retryable = status == 429 || status >= 500;
        return new UpstreamFailure(FailureKind.UPSTREAM_ERROR, retryable, clientMessage,
                "upstream answered " + status + ": " + rawBody, null, status, retryAfter);
    }

    /** A well-formed stream that carried an error frame instead of a reply. */
    static UpstreamFailure errorFrame(String clientMessage, String rawFrame) {
        return new UpstreamFailure(FailureKind.UPSTREAM_ERROR, false, clientMessage,
                "upstream stream error frame: " + rawFrame, null);
    }

    FailureKind kind() {
        return kind;
    }

    boolean retryable() {
        return retryable;
    }

    ChatFailure toChatFailure() {
        return new ChatFailure(kind, clientMessage, this, status, retryAfter);
    }
}
