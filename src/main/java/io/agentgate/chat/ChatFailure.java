package io.agentgate.chat;

import java.util.Optional;

/**
 * A model call, agent run or session step that ended without a result. {@link #getMessage()} is safe
 * to show a client: it never carries upstream internals; those stay in the cause, which is logged at
 * debug only. An upstream that answered with an error status is kept as {@link #upstreamStatus()},
 * with its {@code Retry-After}, so the client can be told the same way.
 */
public class ChatFailure extends RuntimeException {

    private final FailureKind kind;
    private final int upstreamStatus;
    private final String retryAfter;

    public ChatFailure(FailureKind kind, String clientMessage, Throwable cause) {
        this(kind, clientMessage, cause, 0, null);
    }

    public ChatFailure(FailureKind kind, String clientMessage, Throwable cause, int upstreamStatus,
                       String retryAfter) {
        super(clientMessage, cause);
        this.kind = kind;
        this.upstreamStatus = upstreamStatus;
        this.retryAfter = retryAfter;
    }

    public FailureKind kind() {
        return kind;
    }

    /** The upstream's HTTP status when it answered with an error, else 0. */
    public int upstreamStatus() {
        return upstreamStatus;
    }

    /** The upstream's {@code Retry-After}, as it sent it. */
    public Optional<String> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }
}
