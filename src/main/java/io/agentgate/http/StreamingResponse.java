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
 * A streaming turn's response. Until {@link #open} it is uncommitted, and a failure gets its HTTP
 * status and a JSON body; from then on it is an SSE stream (committed with 200 and the session
 * headers) whose end is a finish chunk and {@code [DONE]}, an error frame, or a bare close. However
 * the stream ends, its one close callback cancels the turn as {@code CLIENT_GONE} (a no-op once the
 * turn is over) and takes the stream off the keepalive sweep.
 */
final class StreamingResponse implements ChatCompletionsServlet.TurnResponse {

    private static final Logger log = LoggerFactory.getLogger(StreamingResponse.class);

    private final AsyncContext async;
    private final CompletionId id;
    private final Cancellation cancellation;
    private final KeepaliveScheduler keepalives;
    private final ErrorMapper errors;
    private final SessionSettings sessionSettings;
    private ChunkStream chunks;

    StreamingResponse(AsyncContext async, CompletionId id, Cancellation cancellation, KeepaliveScheduler keepalives,
                      ErrorMapper errors, SessionSettings sessionSettings) {
        this.async = async;
        this.id = id;
        this.cancellation = cancellation;
        this.keepalives = keepalives;
        this.errors = errors;
        this.sessionSettings = sessionSettings;
    }

    @Override
    public ContentSink open(TurnOpening opening) throws IOException {
        // Session headers now: nothing can be added once the stream is flushed.
        chunks = start(SessionProtocol.headers(opening), SessionProtocol.notice(opening, sessionSettings));
        return chunks;
    }

    @Override
    public void end(TurnOutcome outcome) {
        switch (outcome) {
            case TurnOutcome.Answered answered ->
                    chunks.finish(answered.finishReason(), answered.usage());
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
        Responses.refuse(async, error);
    }

    /** A session command's answer, as an ordinary completion so every client shows it. No agent ran. */
    private void answerCommand(TurnOutcome.CommandDone done) {
        try {
            ChunkStream answer = start(SessionProtocol.commandHeaders(done.command()), "");
            answer.content(SessionProtocol.commandText(done.command()));
            answer.finish("stop", Usage.ZERO);
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

    /** Runs {@code onLoss} when the container reports the client gone. */
    record OnLoss(Runnable onLoss) implements AsyncListener {
        @Override public void onComplete(AsyncEvent event) {}
        @Override public void onTimeout(AsyncEvent event) { onLoss.run(); }
        @Override public void onError(AsyncEvent event) { onLoss.run(); }
        @Override public void onStartAsync(AsyncEvent event) {}
    }
}
