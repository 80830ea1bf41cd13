package io.agentgate.bench;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.Request;
import org.eclipse.jetty.client.StringRequestContent;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * The one HTTP client every scenario drives load with: Jetty's non-blocking HttpClient, HTTP/1.1,
 * one connection per open SSE stream (an SSE response owns its connection), no idle timeout so a
 * quiet stream is never closed by the client.
 */
final class LoadClient implements AutoCloseable {

    private final HttpClient http;

    LoadClient(int maxConnections) throws Exception {
        QueuedThreadPool threads = new QueuedThreadPool(64, 8);
        threads.setName("client");
        threads.setDaemon(true);
        http = new HttpClient();
        http.setExecutor(threads);
        http.setMaxConnectionsPerDestination(maxConnections);
        http.setMaxRequestsQueuedPerDestination(maxConnections);
        http.setIdleTimeout(0);
        http.setConnectTimeout(10_000);
        http.setFollowRedirects(false);
        http.start();
    }

    /** Starts one streaming POST (or GET when {@code json} is null) and feeds its body to an SSE parser. */
    void stream(URI uri, String json, SseListener listener) {
        stream(uri, json, null, listener);
    }

    /** As {@link #stream(URI, String, SseListener)}, in the session {@code sessionKey} (null: stateless). */
    void stream(URI uri, String json, String sessionKey, SseListener listener) {
        SseParser parser = new SseParser(listener);
        Request request = http.newRequest(uri).timeout(0, TimeUnit.SECONDS).idleTimeout(0, TimeUnit.SECONDS);
        if (sessionKey != null) {
            request.headers(h -> h.put("X-Session-Key", sessionKey));
        }
        if (json != null) {
            request.method(HttpMethod.POST).body(new StringRequestContent("application/json", json));
        }
        request.onResponseContent((response, buffer) -> parser.feed(buffer))
                .send(result -> listener.onEnd(result.getResponse() == null ? 0 : result.getResponse().getStatus(),
                        result.getFailure()));
    }

    /** A short blocking request; null when the server is not reachable. */
    ContentResponse get(URI uri, long timeoutMs) {
        try {
            return http.newRequest(uri).timeout(timeoutMs, TimeUnit.MILLISECONDS).send();
        } catch (Exception e) {
            return null;
        }
    }

    /** A short blocking POST without a body; its response text, null when the server is not reachable. */
    String post(URI uri, long timeoutMs) {
        try {
            ContentResponse r = http.newRequest(uri).method(HttpMethod.POST).timeout(timeoutMs, TimeUnit.MILLISECONDS)
                    .send();
            return new String(r.getContent(), StandardCharsets.UTF_8);
        } catch (Exception e) {
            return null;
        }
    }

    String getText(URI uri) {
        ContentResponse r = get(uri, 5_000);
        return r == null ? null : new String(r.getContent(), StandardCharsets.UTF_8);
    }

    @Override
    public void close() throws Exception {
        http.stop();
    }
}
