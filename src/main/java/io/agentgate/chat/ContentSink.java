package io.agentgate.chat;

/**
 * Where the visible output of a turn goes while it is produced (an SSE stream, or nowhere for a
 * non-streaming response, which is written from the result). {@link #content} may be held back so
 * that several pieces leave with one network flush; a producer calls {@link #flush()} before it
 * waits for anything (the next upstream line, a tool, a pause), so nothing waits longer than the
 * producer does. Relaying a fast upstream this turns one flush per token into one per burst.
 * Called from the turn's thread only.
 *
 * <p>A streaming response commits (status 200 and its headers) at the first call of any method:
 * until then a failure can still be answered with its own HTTP status.
 */
public interface ContentSink {

    /** A piece of visible assistant text, in order; never empty. */
    void content(String text);

    /** Sends whatever {@link #content} held back. */
    void flush();

    /**
     * The model has begun to answer (its upstream call got a 2xx): the response may commit now, so
     * that keepalives can run while the model thinks.
     */
    default void answering() {}

    /** One tool step, one line without a newline, shown apart from the answer; sent at once. */
    default void step(String line) {}

    /** Discards everything: the answer is delivered whole from the result. */
    ContentSink NONE = new ContentSink() {
        @Override
        public void content(String text) {}

        @Override
        public void flush() {}
    };
}
