package io.agentgate.http;

import io.agentgate.api.CompletionId;
import io.agentgate.chat.Cancellation;
import io.agentgate.chat.ContentSink;
import io.agentgate.chat.Usage;
import io.agentgate.config.SessionSettings;
import io.agentgate.sse.ChunkStream;
import io.agentgate.sse.KeepaliveScheduler;
import io.agentgate.sse.SseStream;
import io.agentgate.turn.TurnFailure;
import io.agentgate.turn.TurnOpening;
import io.agentgate.turn.TurnOutcome;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import java.io.IOException;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A streaming turn's response. It stays uncommitted until there is something to send: the model's
 * upstream call answered 2xx, or the agent emits its first event (content, a tool step). Until then
 * a failure gets its real HTTP status and a JSON body, as OpenAI answers a request that fails
 * before its stream starts, and the client sees nothing but a pending request (no keepalives: a
 * proxy's idle timeout can only bite while the model has not answered at all, as with OpenAI).
 * Since nothing is written meanwhile, the client's connection is watched until the commit
 * ({@link ClosedConnectionWatch}), so a client that leaves still cancels its turn.
 * From the commit on it is an SSE stream (200 and the session headers, with the reset notice in
 * its first chunk) whose end is a finish chunk and {@code [DONE]}, an error frame, or a bare close.
 * However the stream ends, its one close callback cancels the turn as {@code CLIENT_GONE} (a no-op
 * once the turn is over) and takes the stream off the keepalive sweep.
 */
final class StreamingResponse implements ChatCompletionsServlet.TurnResponse {

    private static final Logger log = LoggerFactory.getLogger(StreamingResponse.class);

    private final AsyncContext async;
    private final CompletionId id;
    private final Cancellation cancellation;
    private final KeepaliveScheduler keepalives;
    private final ErrorMapper errors;
    private final SessionSettings sessionSettings;
    private final boolean includeUsage;
    /** Ends the watch on the connection while nothing is written (see {@link ClosedConnectionWatch}). */
    private final Runnable unwatch;
    private TurnOpening opening;
    /** Null until committed. Touched by the turn's thread only. */
    private ChunkStream chunks;

    StreamingResponse(AsyncContext async, CompletionId id, Cancellation cancellation, KeepaliveScheduler keepalives,
                      ErrorMapper errors, SessionSettings sessionSettings, boolean includeUsage, Runnable unwatch) {
        this.async = async;
        this.id = id;
        this.cancellation = cancellation;
        this.keepalives = keepalives;
        this.errors = errors;
        this.sessionSettings = sessionSettings;
        this.includeUsage = includeUsage;
        this.unwatch = unwatch;
    }

    @Override
    public ContentSink open(TurnOpening opening) {
        this.opening = opening;
        // A client lost before the commit (the container noticed) cancels the turn all the same.
        async.addListener(new OnLoss(() -> cancellation.cancel(Cancellation.Reason.CLIENT_GONE)));
        return new CommitOnFirstEvent();
    }

    @Override
    public void end(TurnOutcome outcome) {
        unwatch.run();
        switch (outcome) {
            case TurnOutcome.Answered answered -> {
                if (commit()) {
                    chunks.toolCalls(answered.toolCalls());
                    chunks.finish(answered.finishReason(), answered.usage(), includeUsage);
                }
            }
            case TurnOutcome.CommandDone done -> answerCommand(done);
            case TurnFailure failure -> {
                if (chunks == null) {
                    errors.of(failure).ifPresentOrElse(this::refuse, async::complete);
                } else {
                    errors.of(failure).ifPresentOrElse(error -> chunks.fail(error.body()), chunks::close);
                }
            }
        }
    }

    @Override
    public void refuse(HttpError error) {
        unwatch.run();
        Responses.refuse(async, error);
    }

    /**
     * Commits the stream unless it already is: 200, the session headers (nothing can be added once
     * the stream is flushed), the role chunk with the reset notice. False when the client is gone;
     * the turn is then cancelled.
     */
    private boolean commit() {
        if (chunks != null) {
            return true;
        }
        // From here the stream's writes (keepalives included) notice a client that left.
        unwatch.run();
        try {
            chunks = start(SessionProtocol.headers(opening), SessionProtocol.notice(opening, sessionSettings));
            return true;
        } catch (IOException | IllegalStateException e) {
            log.debug("client gone before the stream opened", e);
            cancellation.cancel(Cancellation.Reason.CLIENT_GONE);
            async.complete();
            return false;
        }
    }

    /** A session command's answer, as an ordinary completion so every client shows it. No agent ran. */
    private void answerCommand(TurnOutcome.CommandDone done) {
        try {
            ChunkStream answer = start(SessionProtocol.commandHeaders(done.command()), "");
            answer.content(SessionProtocol.commandText(done.command()));
            answer.finish("stop", Usage.ZERO, includeUsage);
        } catch (IOException | IllegalStateException e) {
            log.debug("client gone before the command answer was written", e);
            async.complete();
        }
    }

    private ChunkStream start(Map<String, String> headers, String leadingContent) throws IOException {
        SseStream sse = SseStream.open(async, headers);
        sse.onClose(() -> {
            keepalives.unregister(sse);
            cancellation.cancel(Cancellation.Reason.CLIENT_GONE);
        });
        // The container reports the connection lost (an error or timeout on the async context).
        async.addListener(new OnLoss(sse::close));
        ChunkStream stream = new ChunkStream(sse, id);
        stream.start(leadingContent);
        keepalives.register(sse);
        return stream;
    }

    /** The agent's sink: the first event commits the stream, then everything goes to it. */
    private final class CommitOnFirstEvent implements ContentSink {

        @Override
        public void content(String text) {
            if (commit()) {
                chunks.content(text);
            }
        }

        @Override
        public void flush() {
            if (chunks != null) {
                chunks.flush();
            }
        }

        @Override
        public void answering() {
            commit();
        }

        @Override
        public void step(String line) {
            if (commit()) {
                chunks.step(line);
            }
        }
    }

    /** Runs {@code onLoss} when the container reports the client gone. */
    record OnLoss(Runnable onLoss) implements AsyncListener {
        @Override public void onComplete(AsyncEvent event) {}
        @Override public void onTimeout(AsyncEvent event) { onLoss.run(); }
        @Override public void onError(AsyncEvent event) { onLoss.run(); }
        @Override public void onStartAsync(AsyncEvent event) {}
    }
}
