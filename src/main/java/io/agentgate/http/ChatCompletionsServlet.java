package io.agentgate.http;

import io.agentgate.api.CompletionId;
import io.agentgate.chat.Cancellation;
import io.agentgate.config.SessionSettings;
import io.agentgate.sse.KeepaliveScheduler;
import io.agentgate.turn.TurnOutcome;
import io.agentgate.turn.TurnRequest;
import io.agentgate.turn.TurnRunner;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /v1/chat/completions}. The body is read without a thread ({@link BodyReader}); once
 * it is whole, a container thread only parses and hands over: on the agent
 * executor the {@link TurnRunner} runs the turn, writing through the response this servlet chose
 * ({@link StreamingResponse} or {@link WholeResponse}), which then ends the response from the
 * turn's outcome. The response owns the {@link AsyncContext} until then.
 */
final class ChatCompletionsServlet extends HttpServlet {

    private static final Logger log = LoggerFactory.getLogger(ChatCompletionsServlet.class);

    private final transient ChatRequestParser parser;
    private final transient TurnRunner turns;
    private final transient ExecutorService agentExecutor;
    private final transient KeepaliveScheduler keepalives;
    private final transient ErrorMapper errors;
    private final transient SessionSettings sessionSettings;
    private final transient BodyReader.Limits bodyLimits;
    private final transient ClosedConnectionWatch closedConnections;

    ChatCompletionsServlet(ChatRequestParser parser, BodyReader.Limits bodyLimits, TurnRunner turns,
                           ExecutorService agentExecutor, KeepaliveScheduler keepalives, ErrorMapper errors,
                           SessionSettings sessionSettings, ClosedConnectionWatch closedConnections) {
        this.parser = parser;
        this.bodyLimits = bodyLimits;
        this.turns = turns;
        this.agentExecutor = agentExecutor;
        this.keepalives = keepalives;
        this.errors = errors;
        this.sessionSettings = sessionSettings;
        this.closedConnections = closedConnections;
    }

    @Override
    protected void doPost(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        Cancellation cancellation = new Cancellation();
        if (!turns.admit(cancellation)) {
            Responses.error(resp, errors.shuttingDown());
            return;
        }
        BodyReader.read(req, bodyLimits, errors, new BodyReader.Continuation() {
            @Override
            public void accept(AsyncContext async, byte[] body) {
                start(req, resp, async, body, cancellation);
            }

            @Override
            public void abandoned() {
                turns.withdraw(cancellation);
            }
        });
    }

    /** Runs once the whole body has arrived, on a container thread. */
    private void start(HttpServletRequest req, HttpServletResponse resp, AsyncContext async, byte[] body,
                       Cancellation cancellation) {
        TurnRequest request;
        try {
            request = parser.parse(body, req);
        } catch (ApiException e) {
            turns.withdraw(cancellation);
            Responses.refuse(async, e.error());
            return;
        }
        // Every answer to a session request names the session, refusals included.
        request.sessionKey().ifPresent(key -> resp.setHeader(SessionProtocol.KEY_HEADER,
                io.agentgate.session.SessionKeys.toHeader(key)));
        CompletionId id = CompletionId.fresh(request.model());
        TurnResponse response = request.streaming()
                // Until its stream commits nothing is written either: watched until then.
                ? new StreamingResponse(async, id, cancellation, keepalives, errors, sessionSettings,
                        request.options().includeUsage(), closedConnections.watch(req,
                        () -> cancellation.cancel(Cancellation.Reason.CLIENT_GONE)))
                // Nothing is written until the end, so the container cannot notice a client that left.
                : new WholeResponse(async, id, cancellation, errors, sessionSettings, closedConnections.watch(req,
                        () -> cancellation.cancel(Cancellation.Reason.CLIENT_GONE)));
        try {
            // The session may take a while to begin (a memory flush calls the model): not on this thread.
            agentExecutor.submit(() -> response.end(turns.run(request, cancellation, response)));
        } catch (RejectedExecutionException e) {
            log.warn("Agent executor is shut down; refusing request");
            turns.withdraw(cancellation);
            response.refuse(errors.shuttingDown());
        }
    }

    /** The response of one turn: opened by the turn runner, ended here from the outcome. */
    interface TurnResponse extends io.agentgate.turn.TurnWriter {

        /** Writes what the outcome tells the client and completes the response. */
        void end(TurnOutcome outcome);

        /** Answers before any turn ran, and completes the response. */
        void refuse(HttpError error);
    }
}
