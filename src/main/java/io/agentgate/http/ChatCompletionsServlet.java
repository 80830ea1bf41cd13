package io.agentgate.http;

import io.agentgate.agent.AgentFailure;
import io.agentgate.agent.AgentListener;
import io.agentgate.agent.AgentRequest;
import io.agentgate.agent.AgentResult;
import io.agentgate.agent.FailureKind;
import io.agentgate.api.ApiError;
import io.agentgate.api.ChatCompletion;
import io.agentgate.api.CompletionId;
import io.agentgate.api.Usage;
import io.agentgate.bootstrap.Gateway;
import io.agentgate.session.SessionBusyException;
import io.agentgate.session.SessionKeys;
import io.agentgate.session.SessionService;
import io.agentgate.session.SessionTurn;
import io.agentgate.session.TurnStart;
import io.agentgate.sse.ChunkStream;
import io.agentgate.sse.SseStream;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /v1/chat/completions}. The request thread only validates and hands over: the session
 * turn begins and the agent runs on the gateway's agent executor, and the response (SSE or JSON) is
 * written from there through the {@link AsyncContext}, which this servlet owns until the turn ends.
 * Session logic (continuity, commands, resets, busy-ness) lives in {@link SessionService}.
 */
final class ChatCompletionsServlet extends HttpServlet {

    private static final Logger log = LoggerFactory.getLogger(ChatCompletionsServlet.class);

    private final transient Gateway gateway;
    private final transient ChatRequestParser parser;

    ChatCompletionsServlet(Gateway gateway) {
        this.gateway = gateway;
        this.parser = new ChatRequestParser(gateway.config().maxRequestBytes(), gateway.config().model());
    }

    @Override
    protected void doPost(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        ChatRequest chat;
        String sessionKey;
        try {
            chat = parser.parse(req);
            sessionKey = sessionKey(req, gateway.config().sessions().keyMaxLength());
        } catch (ApiException e) {
            Responses.error(resp, e);
            return;
        }
        CompletionId id = CompletionId.fresh(chat.model());
        AsyncContext async = req.startAsync();
        async.setTimeout(0);
        submit(async, () -> begin(async, chat, sessionKey, id));
    }

    /** The validated {@code X-Session-Key}, or null for a stateless request. */
    static String sessionKey(HttpServletRequest req, int maxLength) throws ApiException {
        String key = req.getHeader(SessionKeys.HEADER);
        if (key == null) {
            return null;
        }
        try {
            return SessionKeys.validate(key, maxLength);
        } catch (IllegalArgumentException e) {
            throw ApiException.invalid(e.getMessage(), SessionKeys.HEADER);
        }
    }

    /** Runs on the agent executor: session work may take a while (a memory flush calls the model). */
    private void begin(AsyncContext async, ChatRequest chat, String sessionKey, CompletionId id) {
        if (sessionKey != null) {
            // Refusals of a session request name the session too.
            ((HttpServletResponse) async.getResponse()).setHeader(SessionKeys.HEADER, sessionKey);
        }
        TurnStart start;
        try {
            start = sessionKey == null
                    ? gateway.sessions().stateless(chat.messages())
                    : gateway.sessions().begin(sessionKey, chat.messages());
        } catch (SessionBusyException e) {
            refuse(async, 409, ApiError.of(e.getMessage(), "invalid_request_error", null, "session_busy"));
            return;
        } catch (IllegalArgumentException e) {
            refuse(async, 400, ApiError.invalidRequest(e.getMessage(), "messages"));
            return;
        } catch (AgentFailure failure) {
            refuse(async, failure.httpStatus(), errorBody(failure));
            return;
        } catch (RuntimeException e) {
            log.error("Session could not begin: {}", e.toString());
            log.debug("Session begin failure", e);
            refuse(async, 500, ApiError.of("The session could not be loaded.", "server_error", null, "session_error"));
            return;
        }
        switch (start) {
            case TurnStart.CommandReply reply -> answerCommand(async, chat.stream(), id, reply);
            case SessionTurn turn -> {
                if (chat.stream()) {
                    stream(async, chat, id, turn);
                } else {
                    respondWhole(async, chat, id, turn);
                }
            }
        }
    }

    private void stream(AsyncContext async, ChatRequest chat, CompletionId id, SessionTurn turn) {
        SseStream sse;
        try {
            // Session headers now: nothing can be added once the stream is flushed.
            sse = SseStream.open(async, turn.headers());
        } catch (IOException | IllegalStateException e) {
            log.debug("client gone before the stream opened", e);
            turn.close();
            async.complete();
            return;
        }
        ChunkStream chunks = new ChunkStream(sse, id);
        chunks.start(turn.notice().orElse(""));
        gateway.keepalives().register(sse);
        sse.onDisconnect(turn::cancel);
        async.addListener(new ClientLossListener(sse));
        try {
            chunks.finish(execute(turn, chat, chunks));
        } catch (AgentFailure failure) {
            if (failure.kind() == FailureKind.CANCELLED && !turn.stopped()) {
                sse.close();
            } else {
                // The interrupt that stopped the agent must not break the write of why it stopped.
                Thread.interrupted();
                chunks.fail(shownFailure(turn, failure));
            }
        } finally {
            gateway.keepalives().unregister(sse);
        }
    }

    private void respondWhole(AsyncContext async, ChatRequest chat, CompletionId id, SessionTurn turn) {
        HttpServletResponse response = (HttpServletResponse) async.getResponse();
        try {
            AgentResult result = execute(turn, chat, AgentListener.NONE);
            turn.headers().forEach(response::setHeader);
            writeCompletion(response, id, turn.notice().orElse("") + result.content(), result);
        } catch (AgentFailure failure) {
            Thread.interrupted();
            writeFailure(response, shownFailure(turn, failure));
        } catch (IOException e) {
            log.debug("client gone before the response was written", e);
        } finally {
            async.complete();
        }
    }

    /** A command's answer, as an ordinary completion so every client shows it. */
    private void answerCommand(AsyncContext async, boolean stream, CompletionId id, TurnStart.CommandReply reply) {
        AgentResult result = new AgentResult(reply.text(), "stop", Usage.ZERO);
        HttpServletResponse response = (HttpServletResponse) async.getResponse();
        try {
            if (stream) {
                ChunkStream chunks = new ChunkStream(SseStream.open(async, reply.headers()), id);
                chunks.start();
                chunks.onContent(reply.text());
                chunks.finish(result);
                return;
            }
            reply.headers().forEach(response::setHeader);
            writeCompletion(response, id, reply.text(), result);
        } catch (IOException | IllegalStateException e) {
            log.debug("client gone before the command answer was written", e);
        }
        async.complete();
    }

    /**
     * Runs the agent and ends the session's part of the turn (transcript stored, lease released)
     * before the caller tells the client the turn is over.
     */
    private AgentResult execute(SessionTurn turn, ChatRequest chat, AgentListener listener) {
        try (turn) {
            AgentResult result = runAgent(turn, new AgentRequest(chat.model(), turn.conversation()), listener);
            turn.complete(result);
            return result;
        } catch (AgentFailure failure) {
            throw failure;
        } catch (RuntimeException e) {
            log.error("Session turn could not be stored: {}", e.toString());
            log.debug("Session store failure", e);
            throw new AgentFailure(FailureKind.AGENT_ERROR, "The conversation could not be stored.", e);
        }
    }

    /** A turn ended by /stop is reported as stopped; anything else as it failed. */
    private static AgentFailure shownFailure(SessionTurn turn, AgentFailure failure) {
        if (failure.kind() == FailureKind.CANCELLED && turn.stopped()) {
            return new AgentFailure(FailureKind.CANCELLED, "Stopped by /stop. " + SessionService.STOPPED_TEXT, null);
        }
        return failure;
    }

    private static void writeCompletion(HttpServletResponse response, CompletionId id, String content,
                                        AgentResult result) throws IOException {
        Responses.json(response, 200, ChatCompletion.of(id,
                new ChatCompletion.Message("assistant", content, null), result.finishReason(), result.usage()));
    }

    private static ApiError errorBody(AgentFailure failure) {
        return ApiError.of(failure.getMessage(), failure.kind().errorType(), null, failure.kind().code());
    }

    private static void writeFailure(HttpServletResponse response, AgentFailure failure) {
        try {
            Responses.error(response, failure.httpStatus(), errorBody(failure));
        } catch (IOException e) {
            log.debug("client gone before the error was written", e);
        }
    }

    private static void refuse(AsyncContext async, int status, ApiError error) {
        try {
            Responses.error((HttpServletResponse) async.getResponse(), status, error);
        } catch (IOException | IllegalStateException e) {
            log.debug("client gone before the refusal was written", e);
        }
        async.complete();
    }

    /** Runs the agent, turning every way it can end into a result or an {@link AgentFailure}. */
    private AgentResult runAgent(SessionTurn turn, AgentRequest request, AgentListener listener) {
        try {
            return turn.runAgent(() -> gateway.agent().run(request, listener));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AgentFailure(FailureKind.CANCELLED, "The request was cancelled.", e);
        } catch (AgentFailure failure) {
            throw failure;
        } catch (RuntimeException e) {
            log.error("Agent crashed: {}", e.toString());
            log.debug("Agent crash detail", e);
            throw new AgentFailure(FailureKind.AGENT_ERROR, "The agent failed while answering this request.", e);
        }
    }

    private void submit(AsyncContext async, Runnable work) {
        try {
            gateway.agentExecutor().submit(work);
        } catch (RejectedExecutionException e) {
            log.warn("Agent executor is shut down; refusing request");
            refuse(async, 503, ApiError.of("The gateway is shutting down.", "server_error", null, "unavailable"));
        }
    }

    /** The container tells us the client is gone (error or timeout on the async context). */
    private record ClientLossListener(SseStream sse) implements AsyncListener {
        @Override public void onComplete(AsyncEvent event) {}
        @Override public void onTimeout(AsyncEvent event) { sse.clientGone(); }
        @Override public void onError(AsyncEvent event) { sse.clientGone(); }
        @Override public void onStartAsync(AsyncEvent event) {}
    }
}
