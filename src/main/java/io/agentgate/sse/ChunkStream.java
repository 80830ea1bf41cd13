package io.agentgate.sse;

import io.agentgate.api.ApiError;
import io.agentgate.api.ChatCompletionChunk;
import io.agentgate.api.ChatCompletionChunk.Delta;
import io.agentgate.api.ChatCompletionChunk.ToolCallDelta;
import io.agentgate.api.CompletionId;
import io.agentgate.api.Json;
import io.agentgate.chat.ContentSink;
import io.agentgate.chat.ToolCall;
import io.agentgate.chat.Usage;
import java.util.List;

/**
 * The OpenAI {@code chat.completion.chunk} protocol over one {@link SseStream}: a role chunk,
 * content deltas, then exactly one ending — a finish chunk and {@code [DONE]} for a
 * completed turn, an error frame for a failed one, or a bare close when nobody should be told.
 * This package's entry point.
 */
public final class ChunkStream implements ContentSink {

    // delta.tool_calls only ever carries calls of the client's own tools, at the end of a turn: the
    // gateway's tools it runs itself, and a client SDK or agent framework that saw those would try to
    // run them too. Their progress goes to delta.reasoning_content (or content); see docs/agent.md.

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
        send(new Delta("assistant", leadingContent), null, null);
    }

    /** One tool step as a line of {@code delta.reasoning_content}, sent now. */
    @Override
    public void step(String line) {
        flush();
        send(new Delta(null, null, line + "\n", null), null, null);
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

    /**
     * The calls of the client's own tools the turn ended with, as OpenAI streams them: per call a
     * chunk with its index, id and name, then one with its arguments.
     */
    public void toolCalls(List<ToolCall> calls) {
        flush();
        for (int i = 0; i < calls.size(); i++) {
            ToolCall call = calls.get(i);
            send(new Delta(null, null, null, List.of(new ToolCallDelta(i, call.id(), "function",
                    new ToolCall.Function(call.function().name(), "")))), null, null);
            send(new Delta(null, null, null, List.of(new ToolCallDelta(i, null, null,
                    new ToolCall.Function(null, call.function().arguments())))), null, null);
        }
    }

    /**
     * The real finish reason, then (when the client asked with {@code stream_options.include_usage})
     * a last chunk with {@code "choices": []} and the usage, as OpenAI sends it, then {@code [DONE]},
     * then the response ends.
     */
    public void finish(String finishReason, Usage usage, boolean includeUsage) {
        flush();
        send(new Delta(null, null), finishReason, null);
        if (includeUsage) {
            sse.data(Json.write(ChatCompletionChunk.usageOnly(id, usage)), true);
        }
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
