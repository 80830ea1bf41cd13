package io.agentgate.chat;

/**
 * A model call, agent run or session step that ended without a result. {@link #getMessage()} is safe
 * to show a client: it never carries upstream internals; those stay in the cause, which is logged at
 * debug only.
 */
public class ChatFailure extends RuntimeException {

    private final FailureKind kind;

    public ChatFailure(FailureKind kind, String clientMessage, Throwable cause) {
        super(clientMessage, cause);
        this.kind = kind;
    }

    public FailureKind kind() {
        return kind;
    }
}
