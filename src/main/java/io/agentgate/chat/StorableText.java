package io.agentgate.chat;

import java.util.List;

/**
 * PostgreSQL {@code text} and {@code jsonb} cannot hold U+0000. A NUL from a client is refused with
 * 400 before the model is called; one from the model (or a tool, or an upstream error text) is
 * stored as U+FFFD instead, so that storing the turn cannot fail after the model already answered.
 * What the client was sent live is unchanged; the stored transcript shows U+FFFD.
 */
public final class StorableText {

    private static final char NUL = '\u0000';
    private static final char REPLACEMENT = '\uFFFD';

    private StorableText() {}

    public static String of(String text) {
        return text == null || text.indexOf(NUL) < 0 ? text : text.replace(NUL, REPLACEMENT);
    }

    public static Message of(Message m) {
        List<ToolCall> calls = m.toolCalls() == null ? null : m.toolCalls().stream()
                .map(c -> new ToolCall(of(c.id()), c.type(), c.function() == null ? null
                        : new ToolCall.Function(of(c.function().name()), of(c.function().arguments()))))
                .toList();
        return new Message(m.role(), of(m.content()), calls, of(m.toolCallId()));
    }
}
