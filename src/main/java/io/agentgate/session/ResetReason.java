package io.agentgate.session;

import java.util.Optional;

/** Why a session key's conversation started over with a new session id. */
public enum ResetReason {
    /** Stopped with /stop, or in flight when the gateway last went down. */
    SUSPENDED("[System note: The user's previous session was stopped and suspended. "
            + "This is a fresh conversation with no prior context.]"),
    /** Untouched for longer than the idle timeout. */
    IDLE("[System note: The user's previous session expired due to inactivity. "
            + "This is a fresh conversation with no prior context.]"),
    /** The daily reset hour passed since the session was last touched. */
    DAILY("[System note: The user's session was automatically reset by the daily schedule. "
            + "This is a fresh conversation with no prior context.]"),
    /** The client asked for it: /new, /reset or DELETE /v1/sessions/{key}. */
    MANUAL(null);

    private final String systemNote;

    ResetReason(String systemNote) {
        this.systemNote = systemNote;
    }

    /** The stored and wire name: {@code suspended}, {@code idle}, {@code daily}, {@code manual}. */
    public String code() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    public static Optional<ResetReason> fromCode(String code) {
        return code == null ? Optional.empty() : Optional.of(valueOf(code.toUpperCase(java.util.Locale.ROOT)));
    }

    /**
     * What the agent's first model call of the new session is told. A manual reset has none: the
     * user asked for a fresh start and knows it.
     */
    public Optional<String> systemNote() {
        return Optional.ofNullable(systemNote);
    }
}
