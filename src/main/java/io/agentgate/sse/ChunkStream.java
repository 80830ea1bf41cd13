package io.agentgate.sse;

import io.agentgate.api.ApiError;
import io.agentgate.api.ChatCompletionChunk;
import io.agentgate.api.ChatCompletionChunk.Delta;
import io.agentgate.api.CompletionId;
import io.agentgate.api.Json;
import io.agentgate.chat.ContentSink;
import io.agentgate.chat.Usage;

/**
 * The OpenAI {@code chat.completion.chunk} protocol over one {@link SseStream}: a role chunk,
 * content deltas, then exactly one ending — a finish chunk and {@code [DONE]} for a
 * completed turn, an error frame for a failed one, or a bare close when nobody should be told.
 * This package's entry point.
 */
public final class ChunkStream implements ContentSink {

    // No delta.tool_calls: the gateway runs the tools itself, and a client SDK or agent framework
    // that saw tool calls would try to run them too (and send them back unanswered next turn). The
    // agent shows tool progress as content instead; see docs/agent.md.

    private final SseStream sse;
    private final CompletionId id;
    private final ContentFrame content;
    private boolean heldBack;

    public ChunkStream(SseStream sse, CompletionId id) {
        this.sse = sse;
        this.id = id;
        this.content = new ContentFrame(id);
    }

    /**
     * The role chunk, carrying {@code leadingContent} as its content: how a client learns, in the
     * first chunk, something said before the agent's answer (such as a session reset notice).
     */
    public void start(String leadingContent) {
        send(new Delta("assistant", leadingContent, null), null, null);
    }

    /** One content chunk, written but not flushed: {@link #flush()} sends it. */
    @Override
    public void content(String text) {
        if (!text.isEmpty()) {
            heldBack |= sse.data(content.json(text), false);
        }
    }

    @Override
    public void flush() {
        if (heldBack) {
            heldBack = false;
            sse.flush();
        }
    }

    /** The real finish reason with usage, then {@code [DONE]}, then the response ends. */
    public void finish(String finishReason, Usage usage) {
        send(new Delta(null, null, null), finishReason, usage);
        sse.data("[DONE]", true);
        sse.close();
    }

    /**
     * Ends a failed turn with one error frame, {@code data: {"error":{...}}}, and no {@code [DONE]}.
     * The official SDKs (openai-java's stream handler, openai-node's Stream, openai-python's Stream)
     * raise as soon as they parse a data event with an {@code error} member, so they never read what
     * follows; a bare parser that waits for {@code [DONE]} would take {@code [DONE]} as "the answer
     * is complete". Leaving it out keeps the one success marker meaning success.
     */
    public void fail(ApiError error) {
        sse.data(Json.write(error), true);
        sse.close();
    }

    /** Ends the stream without another frame (nobody is there to read one). */
    public void close() {
        sse.close();
    }

    private void send(Delta delta, String finishReason, Usage usage) {
        sse.data(Json.write(ChatCompletionChunk.of(id, delta, finishReason, usage)), true);
    }
}
