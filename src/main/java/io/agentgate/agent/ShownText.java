package io.agentgate.agent;

import io.agentgate.chat.ContentSink;
import io.agentgate.chat.ToolProgress;

/**
 * Passes everything the turn shows the client on to the real sink and keeps a copy, which becomes
 * {@link AgentResult#content()}. Text from different steps of the turn (before a tool round, after
 * it, a notice) is kept apart by a blank line; continuation parts are joined as they come, since
 * they are one answer. Tool steps go where {@link ToolProgress} says.
 */
final class ShownText implements ContentSink {

    /** Marks a tool step inside the answer text (AGENTGATE_TOOL_PROGRESS=content); the console reads it. */
    static final String CONTENT_STEP_PREFIX = "[tool] ";

    private final ContentSink client;
    private final ToolProgress progress;
    private final StringBuilder text = new StringBuilder();
    private final StringBuilder steps = new StringBuilder();
    private boolean paragraphPending;

    ShownText(ContentSink client, ToolProgress progress) {
        this.client = client;
        this.progress = progress;
    }

    @Override
    public void content(String piece) {
        if (piece.isEmpty()) {
            return;
        }
        if (paragraphPending && !text.isEmpty()) {
            emit("\n\n".substring(trailingNewlines()));
        }
        paragraphPending = false;
        emit(piece);
    }

    @Override
    public void flush() {
        client.flush();
    }

    @Override
    public void answering() {
        client.answering();
    }

    /**
     * A tool step ({@code <name> <arguments>}): a {@code [tool] } paragraph of the answer, a line of
     * the step channel (which needs no marker: it carries nothing else), or nothing.
     */
    @Override
    public void step(String line) {
        switch (progress) {
            case CONTENT -> notice(CONTENT_STEP_PREFIX + line);
            case REASONING_CONTENT -> {
                flush();
                steps.append(line).append('\n');
                client.step(line);
            }
            case OFF -> { }
        }
    }

    /** The tool steps shown apart from the answer, one line each (empty unless {@code reasoning_content}). */
    String steps() {
        return steps.toString();
    }

    /** The next text starts a new paragraph. */
    void newParagraph() {
        paragraphPending = true;
    }

    /** A line of the gateway's own (tool progress, why the turn ended), as its own paragraph, sent now. */
    void notice(String line) {
        newParagraph();
        content(line);
        newParagraph();
        flush();
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

    private void emit(String piece) {
        if (!piece.isEmpty()) {
            text.append(piece);
            client.content(piece);
        }
    }
}
