package io.agentgate.agent;

import io.agentgate.api.ToolCall;
import java.util.List;

/**
 * Passes everything the turn shows the client on to the real listener and keeps a copy, which
 * becomes {@link AgentResult#content()}. Text from different steps of the turn (before a tool
 * round, after it, a notice) is kept apart by a blank line; continuation parts are joined as they
 * come, since they are one answer.
 */
final class Transcript implements AgentListener {

    private final AgentListener client;
    private final StringBuilder text = new StringBuilder();
    private boolean paragraphPending;

    Transcript(AgentListener client) {
        this.client = client;
    }

    @Override
    public void onContent(String delta) {
        onContent(delta, false);
    }

    @Override
    public void onContent(String delta, boolean more) {
        if (delta.isEmpty()) {
            if (!more) {
                client.onContent("", false); // lets the client send what it held back
            }
            return;
        }
        if (paragraphPending && !text.isEmpty()) {
            emit("\n\n".substring(trailingNewlines()), true);
        }
        paragraphPending = false;
        emit(delta, more);
    }

    @Override
    public void onToolCalls(List<ToolCall> calls) {
        client.onToolCalls(calls);
    }

    /** The next text starts a new paragraph. */
    void newParagraph() {
        paragraphPending = true;
    }

    /** A line of the gateway's own (tool progress, why the turn ended), as its own paragraph. */
    void notice(String line) {
        newParagraph();
        onContent(line);
        newParagraph();
    }

    String text() {
        return text.toString();
    }

    /** How many of the last two characters are newlines (0, 1 or 2). */
    private int trailingNewlines() {
        int n = 0;
        while (n < 2 && n < text.length() && text.charAt(text.length() - 1 - n) == '\n') {
            n++;
        }
        return n;
    }

    private void emit(String delta, boolean more) {
        if (!delta.isEmpty()) {
            text.append(delta);
            client.onContent(delta, more);
        }
    }
}
