package io.agentgate.session;

/** What a chat request with a session key turns into: an agent turn, or a command's answer. */
public sealed interface TurnStart permits SessionTurn, TurnStart.CommandReply {

    /** Headers every response of a session carries: key, current id and, on a reset, its reason. */
    java.util.Map<String, String> headers();

    /** A session command (/stop, /new, /reset) answered without running the agent. */
    record CommandReply(String text, java.util.Map<String, String> headers) implements TurnStart {}
}
