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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /v1/chat/completions}. The request thread only validates and hands over: the agent
 * runs on the gateway's agent executor and the response (SSE or JSON) is written from there through
 * the {@link AsyncContext}, which this servlet owns until the turn ends.
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
        CompletionId id = CompletionId.fresh(chat.model());
        AsyncContext async = req.startAsync();
        async.setTimeout(0);
        if (chat.stream()) {
            stream(async, agentRequest, id);
        } else {
            respondWhole(async, agentRequest, id);
        }
    }

    private void stream(AsyncContext async, AgentRequest request, CompletionId id) throws IOException {
        SseStream sse = SseStream.open(async, Map.of());
        ChunkStream chunks = new ChunkStream(sse, id);
        chunks.start();
        gateway.keepalives().register(sse);
        Future<?> task = submit(async, () -> {
            try {
                chunks.finish(runAgent(request, chunks));
            } catch (AgentFailure failure) {
                if (failure.kind() == FailureKind.CANCELLED) {
                    sse.close();
                } else {
                    chunks.fail(failure);
                }
            } finally {
                gateway.keepalives().unregister(sse);
            }
        });
        if (task != null) {
            sse.onDisconnect(() -> task.cancel(true));
            async.addListener(new ClientLossListener(sse));
        }
    }

    private void respondWhole(AsyncContext async, AgentRequest request, CompletionId id) {
        submit(async, () -> {
            HttpServletResponse response = (HttpServletResponse) async.getResponse();
            try {
                AgentResult result = runAgent(request, AgentListener.NONE);
                Responses.json(response, 200, ChatCompletion.of(id,
                        new ChatCompletion.Message("assistant", result.content(), null),
                        result.finishReason(), result.usage()));
            } catch (AgentFailure failure) {
                writeFailure(response, failure);
            } catch (IOException e) {
                log.debug("client gone before the response was written", e);
            } finally {
                async.complete();
            }
        });
    }

    private static void writeFailure(HttpServletResponse response, AgentFailure failure) {
        try {
            Responses.error(response, failure.httpStatus(),
                    ApiError.of(failure.getMessage(), failure.kind().errorType(), null, failure.kind().code()));
        } catch (IOException e) {
            log.debug("client gone before the error was written", e);
        }
    }

    /** Runs the agent, turning every way it can end into a result or an {@link AgentFailure}. */
    private AgentResult runAgent(AgentRequest request, AgentListener listener) {
        try {
            return gateway.agent().run(request, listener);
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

    private Future<?> submit(AsyncContext async, Runnable turn) {
        try {
            return gateway.agentExecutor().submit(turn);
        } catch (RejectedExecutionException e) {
            log.warn("Agent executor is shut down; refusing request");
            try {
                Responses.error((HttpServletResponse) async.getResponse(), 503,
                        ApiError.of("The gateway is shutting down.", "server_error", null, "unavailable"));
            } catch (IOException | IllegalStateException ignored) {
                // response already committed (stream): nothing more can be said
            }
            async.complete();
            return null;
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
