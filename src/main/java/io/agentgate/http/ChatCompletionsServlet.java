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
import io.agentgate.runs.RunStart;
import io.agentgate.runs.RunTracker.Run;
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
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /v1/chat/completions}. The request thread only validates and hands over: the session
 * turn begins and the agent runs on the gateway's agent executor, and the response (SSE or JSON) is
 * written from there through the {@link AsyncContext}, which this servlet owns until the turn ends.
 * Every agent turn is one run in the runs ledger, ended exactly once: completed, failed by kind, or
 * cancelled. Session logic (continuity, commands, resets, busy-ness) lives in {@link SessionService}.
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
        if (sessionKey != null) {
            // Every answer to a session request names the session, refusals included.
            resp.setHeader(SessionKeys.HEADER, sessionKey);
        }
        CompletionId id = CompletionId.fresh(chat.model());
        AsyncContext async = req.startAsync();
        async.setTimeout(0);
        try {
            gateway.agentExecutor().submit(() -> begin(async, chat, sessionKey, id));
        } catch (RejectedExecutionException e) {
            log.warn("Agent executor is shut down; refusing request");
            refuse(async, 503, ApiError.of("The gateway is shutting down.", "server_error", null, "unavailable"));
        }
    }

    /** The validated {@code X-Session-Key}, or null for a stateless request. */
    private static String sessionKey(HttpServletRequest req, int maxLength) throws ApiException {
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
            case SessionTurn session -> {
                Run run = gateway.runs().begin(new RunStart(session.runId(), sessionKey,
                        session.sessionId().orElse(null), chat.model(), chat.stream()));
                Turn turn = new Turn(async, chat, id, run, session);
                if (chat.stream()) {
                    turn.stream();
                } else {
                    turn.respondWhole();
                }
            }
        }
    }

    /** One agent turn in flight: its async response, its session turn and its run record. */
    private final class Turn {

        private final AsyncContext async;
        private final ChatRequest chat;
        private final CompletionId id;
        private final Run run;
        private final SessionTurn session;

        Turn(AsyncContext async, ChatRequest chat, CompletionId id, Run run, SessionTurn session) {
            this.async = async;
            this.chat = chat;
            this.id = id;
            this.run = run;
            this.session = session;
        }

        void stream() {
            SseStream sse;
            try {
                // Session headers now: nothing can be added once the stream is flushed.
                sse = SseStream.open(async, session.headers());
            } catch (IOException | IllegalStateException e) {
                log.debug("client gone before the stream opened", e);
                session.close();
                run.failed(cancelled(e));
                async.complete();
                return;
            }
            ChunkStream chunks = new ChunkStream(sse, id);
            sse.onDisconnect(session::cancel);
            async.addListener(new ClientLossListener(sse::clientGone));
            chunks.start(session.notice().orElse(""));
            gateway.keepalives().register(sse);
            try {
                // The client left while the agent was finishing: nobody received the answer.
                AgentResult result = execute(chunks, sse::isOpen);
                run.completed(result.usage());
                chunks.finish(result);
            } catch (AgentFailure failure) {
                // The agent is over: its interrupt must not break the ledger's JDBC socket or the last write.
                Thread.interrupted();
                AgentFailure shown = shown(failure);
                run.failed(shown);
                if (shown.kind() == FailureKind.CANCELLED && !session.stopped()) {
                    sse.close();
                } else {
                    chunks.fail(errorBody(shown));
                }
            } finally {
                gateway.keepalives().unregister(sse);
            }
        }

        void respondWhole() {
            HttpServletResponse response = (HttpServletResponse) async.getResponse();
            session.headers().forEach(response::setHeader);
            async.addListener(new ClientLossListener(session::cancel));
            try {
                AgentResult result = execute(AgentListener.NONE, () -> true);
                run.completed(result.usage());
                writeCompletion(response, id, session.notice().orElse("") + result.content(), result);
            } catch (AgentFailure failure) {
                Thread.interrupted(); // as in stream()
                AgentFailure shown = shown(failure);
                run.failed(shown);
                if (shown.kind() != FailureKind.CANCELLED || session.stopped()) {
                    writeFailure(response, shown.httpStatus(), errorBody(shown));
                }
            } catch (IOException e) {
                log.debug("client gone before the response was written", e);
            } finally {
                async.complete();
            }
        }

        /**
         * Runs the agent and ends the session's part of the turn (transcript stored, lease released)
         * before the caller tells the client the turn is over, so that the client's next request
         * never finds its own finished turn still running.
         */
        private AgentResult execute(AgentListener listener, BooleanSupplier delivered) {
            try (session) {
                AgentResult result = runAgent(listener);
                if (!delivered.getAsBoolean()) {
                    throw cancelled(null);
                }
                session.complete(result);
                return result;
            } catch (AgentFailure failure) {
                throw failure;
            } catch (RuntimeException e) {
                log.error("Run {}: the session could not be stored: {}", run.start().runId(), e.toString());
                log.debug("Session store failure", e);
                throw new AgentFailure(FailureKind.AGENT_ERROR, "The conversation could not be stored.", e);
            }
        }

        /** Runs the agent, turning every way it can end into a result or an {@link AgentFailure}. */
        private AgentResult runAgent(AgentListener listener) {
            AgentRequest request = new AgentRequest(chat.model(), session.conversation());
            try {
                return session.runAgent(() -> gateway.agent().run(request, listener));
            } catch (InterruptedException e) {
                // Keep the interrupt visible until the caller has released what the turn holds.
                Thread.currentThread().interrupt();
                throw cancelled(e);
            } catch (AgentFailure failure) {
                if (failure.kind() != FailureKind.CANCELLED) {
                    log.warn("Run {} failed: {} ({})", run.start().runId(), failure.kind().code(), failure.getMessage());
                    log.debug("Run failure detail", failure);
                }
                throw failure;
            } catch (RuntimeException e) {
                log.error("Run {} crashed in agent code: {}", run.start().runId(),
                        gateway.secrets().redact(e.getClass().getName() + ": " + e.getMessage()));
                log.debug("Agent crash detail", e);
                throw new AgentFailure(FailureKind.AGENT_ERROR, "The agent failed while answering this request.", e);
            }
        }

        /** A turn ended by /stop is reported as stopped; anything else as it failed. */
        private AgentFailure shown(AgentFailure failure) {
            if (failure.kind() == FailureKind.CANCELLED && session.stopped()) {
                return new AgentFailure(FailureKind.CANCELLED, "Stopped by /stop. " + SessionService.STOPPED_TEXT,
                        failure);
            }
            return failure;
        }
    }

    /** A session command's answer, as an ordinary completion so every client shows it. No agent ran. */
    private static void answerCommand(AsyncContext async, boolean stream, CompletionId id,
                                      TurnStart.CommandReply reply) {
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

    private static void writeCompletion(HttpServletResponse response, CompletionId id, String content,
                                        AgentResult result) throws IOException {
        Responses.json(response, 200, ChatCompletion.of(id,
                new ChatCompletion.Message("assistant", content, null), result.finishReason(), result.usage()));
    }

    private static AgentFailure cancelled(Throwable cause) {
        return new AgentFailure(FailureKind.CANCELLED, "The request was cancelled.", cause);
    }

    /** The client-facing error: the failure's own safe message, redacted once more in case it echoes upstream text. */
    private ApiError errorBody(AgentFailure failure) {
        return ApiError.of(gateway.secrets().redact(failure.getMessage()), failure.kind().errorType(), null,
                failure.kind().code());
    }

    private static void writeFailure(HttpServletResponse response, int status, ApiError body) {
        try {
            Responses.error(response, status, body);
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

    /** The container reports the client gone (error or timeout on the async context). */
    private record ClientLossListener(Runnable onLoss) implements AsyncListener {
        @Override public void onComplete(AsyncEvent event) {}
        @Override public void onTimeout(AsyncEvent event) { onLoss.run(); }
        @Override public void onError(AsyncEvent event) { onLoss.run(); }
        @Override public void onStartAsync(AsyncEvent event) {}
    }
}
