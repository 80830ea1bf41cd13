package io.agentgate.http;

import io.agentgate.agent.AgentFailure;
import io.agentgate.agent.AgentListener;
import io.agentgate.agent.AgentRequest;
import io.agentgate.agent.AgentResult;
import io.agentgate.agent.FailureKind;
import io.agentgate.api.ApiError;
import io.agentgate.api.ChatCompletion;
import io.agentgate.api.CompletionId;
import io.agentgate.bootstrap.Gateway;
import io.agentgate.runs.RunStart;
import io.agentgate.runs.RunTracker.Run;
import io.agentgate.sse.ChunkStream;
import io.agentgate.sse.SseStream;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /v1/chat/completions}. The request thread only validates and hands over: the agent
 * runs on the gateway's agent executor and the response (SSE or JSON) is written from there through
 * the {@link AsyncContext}, which this servlet owns until the turn ends. Every turn is one run in
 * the runs ledger, ended exactly once: completed, failed by kind, or cancelled.
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
        try {
            chat = parser.parse(req);
        } catch (ApiException e) {
            Responses.error(resp, e);
            return;
        }
        AgentRequest agentRequest = new AgentRequest(chat.model(), chat.messages());
        AsyncContext async = req.startAsync();
        async.setTimeout(0);
        Turn turn = new Turn(async, agentRequest, CompletionId.fresh(chat.model()),
                gateway.runs().begin(RunStart.stateless(chat.model(), chat.stream())));
        if (chat.stream()) {
            turn.stream();
        } else {
            turn.respondWhole();
        }
    }

    /** One user turn in flight: its async response, its agent task and its run record. */
    private final class Turn {

        private final AsyncContext async;
        private final AgentRequest request;
        private final CompletionId id;
        private final Run run;
        private final AtomicBoolean agentStarted = new AtomicBoolean();
        private volatile Future<?> task;

        Turn(AsyncContext async, AgentRequest request, CompletionId id, Run run) {
            this.async = async;
            this.request = request;
            this.id = id;
            this.run = run;
        }

        void stream() throws IOException {
            SseStream sse = SseStream.open(async, Map.of());
            ChunkStream chunks = new ChunkStream(sse, id);
            sse.onDisconnect(this::cancel);
            async.addListener(new ClientLossListener(sse::clientGone));
            chunks.start();
            gateway.keepalives().register(sse);
            submit(() -> {
                try {
                    AgentResult result = runAgent(chunks);
                    if (!sse.isOpen()) {
                        // The client left while the agent was finishing: nobody received the answer.
                        throw cancelled(null);
                    }
                    run.completed(result.usage());
                    chunks.finish(result);
                } catch (AgentFailure failure) {
                    run.failed(failure);
                    if (failure.kind() == FailureKind.CANCELLED) {
                        sse.close();
                    } else {
                        chunks.fail(errorBody(failure));
                    }
                } finally {
                    gateway.keepalives().unregister(sse);
                }
            });
        }

        void respondWhole() {
            async.addListener(new ClientLossListener(this::cancel));
            submit(() -> {
                HttpServletResponse response = (HttpServletResponse) async.getResponse();
                try {
                    AgentResult result = runAgent(AgentListener.NONE);
                    run.completed(result.usage());
                    Responses.json(response, 200, ChatCompletion.of(id,
                            new ChatCompletion.Message("assistant", result.content(), null),
                            result.finishReason(), result.usage()));
                } catch (AgentFailure failure) {
                    run.failed(failure);
                    if (failure.kind() != FailureKind.CANCELLED) {
                        writeFailure(response, failure.httpStatus(), errorBody(failure));
                    }
                } catch (IOException e) {
                    log.debug("client gone before the response was written", e);
                } finally {
                    async.complete();
                }
            });
        }

        /** Runs the agent, turning every way it can end into a result or an {@link AgentFailure}. */
        private AgentResult runAgent(AgentListener listener) {
            try {
                return gateway.agent().run(request, listener);
            } catch (InterruptedException e) {
                // Keep the interrupt visible to whatever runs after us on this thread.
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

        private void submit(Runnable body) {
            try {
                task = gateway.agentExecutor().submit(() -> {
                    agentStarted.set(true);
                    body.run();
                });
            } catch (RejectedExecutionException e) {
                log.warn("Agent executor is shut down; refusing request");
                run.failed(cancelled(e));
                try {
                    Responses.error((HttpServletResponse) async.getResponse(), 503,
                            ApiError.of("The gateway is shutting down.", "server_error", null, "unavailable"));
                } catch (IOException | IllegalStateException ignored) {
                    // response already committed (stream): nothing more can be said
                }
                async.complete();
            }
        }

        /** The client is gone: stop the agent. A run that never started is ended here instead. */
        private void cancel() {
            Future<?> f = task;
            if (f != null) {
                f.cancel(true);
            }
            if (!agentStarted.get()) {
                run.failed(cancelled(null));
            }
        }
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

    /** The container reports the client gone (error or timeout on the async context). */
    private record ClientLossListener(Runnable onLoss) implements AsyncListener {
        @Override public void onComplete(AsyncEvent event) {}
        @Override public void onTimeout(AsyncEvent event) { onLoss.run(); }
        @Override public void onError(AsyncEvent event) { onLoss.run(); }
        @Override public void onStartAsync(AsyncEvent event) {}
    }
}
