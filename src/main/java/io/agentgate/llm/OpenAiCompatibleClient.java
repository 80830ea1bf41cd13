package io.agentgate.llm;

import io.agentgate.chat.ContentSink;
import io.agentgate.chat.FailureKind;
import jakarta.json.JsonException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link ModelClient} for any OpenAI-compatible {@code /chat/completions} server (OpenAI, vLLM,
 * Ollama, llama.cpp, OpenRouter…), always streaming. Failures map to {@link FailureKind}s: silence
 * past the timeouts is {@code timeout}, a stream that ends early is {@code stream_interrupted}, a
 * non-2xx answer or an error frame is {@code upstream_error}. Connection failures, 429 and 5xx are
 * retried with backoff — they happen before the upstream sent any reply, so nothing reached the
 * client twice.
 */
public final class OpenAiCompatibleClient implements ModelClient {

    private static final Logger log = LoggerFactory.getLogger(OpenAiCompatibleClient.class);
    private static final int MAX_ERROR_BODY = 16 * 1024;
    /** How long a stream that said [DONE] may take to end its body before its exchange is aborted. */
    private static final long DRAIN_SECONDS = 5;

    private final UpstreamSettings settings;
    private final HttpClient http;
    /**
     * Wakes a turn whose upstream went silent for the read timeout (see {@link StreamingLines}), and
     * aborts bodies that did not end after [DONE].
     */
    private final ScheduledThreadPoolExecutor idleWatch;

    public OpenAiCompatibleClient(UpstreamSettings settings) {
        this.settings = settings;
        this.idleWatch = new ScheduledThreadPoolExecutor(1,
                Thread.ofPlatform().name("upstream-idle-watch").daemon(true).factory());
        idleWatch.setRemoveOnCancelPolicy(true);
        this.http = HttpClient.newBuilder()
                .connectTimeout(settings.connectTimeout())
                // HTTP/1.1: a plain-http h2c upgrade confuses some local servers, and one long
                // streaming response per call gains nothing from multiplexing.
                .version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER)
                // The client's callbacks run on its selector thread instead of hopping to a worker
                // pool: every one of ours is short and never blocks (StreamingLines only splits
                // bytes into lines and queues them; the turn's own thread waits on the futures).
                .executor(Runnable::run)
                .build();
    }

    @Override
    public ModelReply complete(ModelCall call, ContentSink sink) throws InterruptedException {
        HttpRequest request = request(call);
        UpstreamSettings.RetryPolicy retry = settings.retry();
        for (int attempt = 1; ; attempt++) {
            try {
                return attempt(request, sink);
            } catch (UpstreamFailure failure) {
                if (!failure.retryable() || attempt >= retry.attempts()) {
                    log.debug("Upstream call failed for good after {} attempt(s)", attempt, failure);
                    throw failure.toChatFailure();
                }
                log.info("Upstream attempt {} of {} failed ({}); retrying", attempt, retry.attempts(),
                        failure.kind().code());
                log.debug("Upstream attempt failure detail", failure);
                Thread.sleep(retry.backoffAfter(attempt));
            }
        }
    }

    @Override
    public List<String> modelIds() {
        return List.of(settings.model());
    }

    @Override
    public void close() {
        http.shutdownNow();
        idleWatch.shutdownNow();
    }

    private HttpRequest request(ModelCall call) {
        HttpRequest.Builder b = HttpRequest.newBuilder(settings.chatCompletionsUri())
                // Bounds the wait for the response headers; the body has its own idle timeout.
                .timeout(settings.readTimeout())
                .header("Content-Type", "application/json")
                .header("Accept", "text/event-stream")
                .POST(HttpRequest.BodyPublishers.ofString(UpstreamRequestBody.of(settings.model(), call)));
        settings.apiKey().ifPresent(key -> b.header("Authorization", "Bearer " + key));
        return b.build();
    }

    private ModelReply attempt(HttpRequest request, ContentSink sink)
            throws InterruptedException, UpstreamFailure {
        HttpResponse<StreamingLines> response;
        try {
            // send, not sendAsync().get(): the JDK completes sendAsync's future through the common
            // pool (a thread hop per call); send waits on the exchange itself, and an interrupt
            // cancels the exchange.
            response = http.send(request, StreamingLines.handler(settings.maxLineBytes(), idleWatch));
        } catch (IOException | IllegalArgumentException | SecurityException e) {
            throw beforeResponse(e);
        }
        StreamingLines body = response.body();
        boolean cleanEnd = false;
        try {
            int status = response.statusCode();
            if (status / 100 != 2) {
                String raw = readErrorBody(body);
                throw UpstreamFailure.status(status,
                        UpstreamErrors.clientMessage("HTTP " + status, raw, settings.apiKey()), raw,
                        response.headers().firstValue("Retry-After").orElse(null));
            }
            sink.answering();
            ModelReply reply = readStream(body, sink);
            cleanEnd = true;
            return reply;
        } finally {
            if (cleanEnd) {
                // [DONE] is read before the body's last bytes (the chunked terminator) arrive: cancelling
                // now closed the connection, so the next call paid a new connect (UpstreamConnectionReuseTest
                // saw 3 connections for 4 calls under load). Left alone, the body completes and the
                // connection goes back to the pool; the late cancel only aborts an upstream that keeps
                // writing after [DONE].
                if (!body.isComplete()) {
                    try {
                        idleWatch.schedule(body::cancel, DRAIN_SECONDS, TimeUnit.SECONDS);
                    } catch (java.util.concurrent.RejectedExecutionException closed) {
                        body.cancel(); // the client is closing: nothing will be reused
                    }
                }
            } else {
                // Aborts the exchange when we stop early (cancel, timeout, error); a no-op after the end.
                body.cancel();
            }
        }
    }

    private String readErrorBody(StreamingLines body) throws InterruptedException {
        try {
            return body.readRest(settings.readTimeout(), MAX_ERROR_BODY);
        } catch (IOException e) {
            return "(error body unreadable: " + e + ")";
        }
    }

    private ModelReply readStream(StreamingLines body, ContentSink sink)
            throws InterruptedException, UpstreamFailure {
        SseEvents events = new SseEvents(body, settings.readTimeout());
        ReplyAssembler reply = new ReplyAssembler(sink);
        try {
            for (String data; (data = events.nextData()) != null; ) {
                if (data.equals("[DONE]")) {
                    break;
                }
                if (!accept(reply, data)) {
                    throw UpstreamFailure.errorFrame(
                            UpstreamErrors.clientMessage("stream error", data, settings.apiKey()), data);
                }
                if (!events.hasBuffered()) {
                    sink.flush(); // the next read may wait: what was held back goes out first
                }
            }
        } catch (HttpTimeoutException e) {
            throw UpstreamFailure.fatal(FailureKind.TIMEOUT, "The upstream model stopped sending for more than "
                    + settings.readTimeout().toMillis() + " ms.", e);
        } catch (StreamingLines.LineTooLongException e) {
            throw UpstreamFailure.fatal(FailureKind.UPSTREAM_ERROR, "The upstream model sent a line too long (over "
                    + settings.maxLineBytes() + " bytes).", e);
        } catch (StreamingLines.TruncatedLineException e) {
            if (!reply.finished()) {
                throw UpstreamFailure.fatal(FailureKind.STREAM_INTERRUPTED,
                        "The upstream model's stream was interrupted in the middle of a line.", e);
            }
            // Cut after the model had finished (a last "data: [DONE]" without its line end): nothing lost.
        } catch (IOException e) {
            throw UpstreamFailure.fatal(FailureKind.STREAM_INTERRUPTED,
                    "The upstream model's stream was interrupted.", e);
        }
        sink.flush(); // whatever was held back goes out before the agent moves on
        if (!reply.finished()) {
            throw UpstreamFailure.fatal(FailureKind.STREAM_INTERRUPTED,
                    "The upstream model's stream ended before the model finished.", null);
        }
        return reply.reply();
    }

    /** Takes one chunk; false for an error frame. */
    private static boolean accept(ReplyAssembler reply, String data) throws UpstreamFailure {
        try {
            return reply.accept(data);
        } catch (JsonException e) {
            throw UpstreamFailure.fatal(FailureKind.UPSTREAM_ERROR,
                    "Upstream model error (malformed stream data).", e);
        }
    }

    /** A failure before any response headers: the connection-level ones are worth retrying. */
    private static UpstreamFailure beforeResponse(Throwable cause) {
        if (cause instanceof HttpConnectTimeoutException) {
            return UpstreamFailure.retryable(FailureKind.TIMEOUT,
                    "The upstream model did not accept a connection in time.", cause);
        }
        if (cause instanceof HttpTimeoutException) {
            return UpstreamFailure.fatal(FailureKind.TIMEOUT, "The upstream model did not answer in time.", cause);
        }
        if (cause instanceof ConnectException) {
            return UpstreamFailure.retryable(FailureKind.UPSTREAM_ERROR, "The upstream model is unreachable.", cause);
        }
        if (cause instanceof IOException) {
            // Reset or closed before any answer: the request may be sent again safely.
            return UpstreamFailure.retryable(FailureKind.UPSTREAM_ERROR,
                    "The upstream model closed the connection without answering.", cause);
        }
        return UpstreamFailure.fatal(FailureKind.UPSTREAM_ERROR, "The upstream model call failed.", cause);
    }
}
