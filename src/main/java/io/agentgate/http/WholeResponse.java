package io.agentgate.http;

import io.agentgate.api.ChatCompletion;
import io.agentgate.api.CompletionId;
import io.agentgate.chat.Cancellation;
import io.agentgate.chat.ContentSink;
import io.agentgate.chat.ToolCall;
import io.agentgate.chat.Usage;
import io.agentgate.config.SessionSettings;
import io.agentgate.turn.TurnFailure;
import io.agentgate.turn.TurnOpening;
import io.agentgate.turn.TurnOutcome;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A non-streaming turn's response: one {@code chat.completion} JSON body written from the outcome,
 * or the failure's status and OpenAI error body. Nothing is committed before the turn ends.
 */
final class WholeResponse implements ChatCompletionsServlet.TurnResponse {

    private static final Logger log = LoggerFactory.getLogger(WholeResponse.class);

    private final AsyncContext async;
    private final HttpServletResponse response;
    private final CompletionId id;
    private final Cancellation cancellation;
    private final ErrorMapper errors;
    private final SessionSettings sessionSettings;
    private final Runnable unwatch;
    private String notice = "";

    /** {@code unwatch} ends the watch on the client's connection (see {@link ClosedConnectionWatch}). */
    WholeResponse(AsyncContext async, CompletionId id, Cancellation cancellation, ErrorMapper errors,
                  SessionSettings sessionSettings, Runnable unwatch) {
        this.async = async;
        this.response = (HttpServletResponse) async.getResponse();
        this.id = id;
        this.cancellation = cancellation;
        this.errors = errors;
        this.sessionSettings = sessionSettings;
        this.unwatch = unwatch;
    }

    @Override
    public ContentSink open(TurnOpening opening) {
        SessionProtocol.headers(opening).forEach(response::setHeader);
        notice = SessionProtocol.notice(opening, sessionSettings);
        async.addListener(new StreamingResponse.OnLoss(() -> cancellation.cancel(Cancellation.Reason.CLIENT_GONE)));
        return ContentSink.NONE;
    }

    @Override
    public void end(TurnOutcome outcome) {
        try {
            switch (outcome) {
                case TurnOutcome.Answered answered -> writeCompletion(notice + answered.content(),
                        answered.steps(), answered.toolCalls(), answered.finishReason(), answered.usage());
                case TurnOutcome.CommandDone done -> {
                    SessionProtocol.commandHeaders(done.command()).forEach(response::setHeader);
                    writeCompletion(SessionProtocol.commandText(done.command()), "", List.of(), "stop", Usage.ZERO);
                }
                case TurnFailure failure -> {
                    var error = errors.of(failure);
                    if (error.isPresent()) {
                        Responses.error(response, error.get());
                    }
                }
            }
        } catch (IOException | IllegalStateException e) {
            log.debug("client gone before the response was written", e);
        } finally {
            unwatch.run();
            async.complete();
        }
    }

    @Override
    public void refuse(HttpError error) {
        unwatch.run();
        Responses.refuse(async, error);
    }

    /** Content is null, not empty, beside tool calls (as OpenAI sends it); steps only when there are any. */
    private void writeCompletion(String content, String steps, List<ToolCall> toolCalls, String finishReason,
                                 Usage usage) throws IOException {
        Responses.json(response, 200, ChatCompletion.of(id, new ChatCompletion.Message("assistant",
                        content.isEmpty() && !toolCalls.isEmpty() ? null : content, steps.isEmpty() ? null : steps,
                        toolCalls.isEmpty() ? null : toolCalls), finishReason, usage));
    }
}
