package io.agentgate.session;

import java.util.Optional;
import java.util.UUID;

/** What a chat request with a session key turns into: an agent turn, or a command carried out. */
public sealed interface SessionStart permits SessionTurn, SessionStart.Stopped, SessionStart.Reset {

    /** The session key the request named. */
    String key();

    /** /stop: whether a running turn was stopped; the key's current session id, if it has one. */
    record Stopped(String key, boolean stopped, Optional<UUID> sessionId) implements SessionStart {}

    /** /new or /reset: the fresh session id. */
    record Reset(String key, UUID sessionId) implements SessionStart {}
}
