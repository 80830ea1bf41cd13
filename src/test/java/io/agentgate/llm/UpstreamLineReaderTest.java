package io.agentgate.llm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * The upstream's SSE stream as the gateway reads it, with no network: {@link StreamingLines} fed
 * bytes the way the JDK HTTP client feeds its body subscriber, and {@link SseEvents} framing lines.
 */
class UpstreamLineReaderTest {

    private static final Duration WAIT = Duration.ofSeconds(5);

    private final AtomicBoolean cancelled = new AtomicBoolean();

    @Test
    void linesArriveAsTheyAreSplitAcrossBuffersAndTheEndIsNull() throws Exception {
        Body body = body();
        body.subscriber.onNext(List.of(bytes("data: {\"a\""), bytes(":1}\n\nda")));
        body.subscriber.onNext(List.of(bytes("ta: [DONE]\n\n")));
        body.subscriber.onComplete();

        assertEquals("data: {\"a\":1}", body.lines.next(WAIT));
        assertEquals("", body.lines.next(WAIT));
        assertTrue(body.lines.hasBuffered());
        assertEquals("data: [DONE]", body.lines.next(WAIT));
        assertEquals("", body.lines.next(WAIT));
        assertNull(body.lines.next(WAIT));
        assertNull(body.lines.next(WAIT), "the end stays the end");
    }

    @Test
    void silenceLongerThanTheIdleTimeoutIsATimeout() throws Exception {
        Body body = body();

        assertFalse(body.lines.hasBuffered());
        assertThrows(HttpTimeoutException.class, () -> body.lines.next(Duration.ofMillis(50)));
    }

    @Test
    void aConnectionThatFailsMidBodyIsAnIoError() throws Exception {
        Body body = body();
        body.subscriber.onNext(List.of(bytes("data: partial\n")));
        body.subscriber.onError(new IOException("connection reset"));

        assertEquals("data: partial", body.lines.next(WAIT));
        IOException failed = assertThrows(IOException.class, () -> body.lines.next(WAIT));
        assertEquals("connection reset", failed.getMessage());
    }

    @Test
    void cancelAbortsTheExchange() throws Exception {
        Body body = body();

        body.lines.cancel();

        assertTrue(cancelled.get());
    }

    @Test
    void eventsJoinDataLinesAndSkipCommentsAndOtherFields() throws Exception {
        SseEvents events = new SseEvents(new Lines(": keepalive", "", "event: message", "id: 7",
                "data: {\"a\":", "data:1}", "", "retry: 10", "data", "", "data: last"), WAIT);

        assertEquals("{\"a\":\n1}", events.nextData());
        assertEquals("", events.nextData(), "a bare data field is an empty payload");
        assertEquals("last", events.nextData(), "the body's end closes the last event");
        assertNull(events.nextData());
    }

    private Body body() {
        HttpResponse.BodySubscriber<StreamingLines> subscriber = StreamingLines.handler().apply(new Info());
        subscriber.onSubscribe(new Flow.Subscription() {
            @Override
            public void request(long n) {
                // the JDK's line adapter paces itself; nothing to record
            }

            @Override
            public void cancel() {
                cancelled.set(true);
            }
        });
        return new Body(subscriber, subscriber.getBody().toCompletableFuture().join());
    }

    private static ByteBuffer bytes(String text) {
        return ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
    }

    private record Body(HttpResponse.BodySubscriber<StreamingLines> subscriber, StreamingLines lines) {}

    private record Info() implements HttpResponse.ResponseInfo {
        @Override
        public int statusCode() {
            return 200;
        }

        @Override
        public HttpHeaders headers() {
            return HttpHeaders.of(Map.of("Content-Type", List.of("text/event-stream")), (a, b) -> true);
        }

        @Override
        public HttpClient.Version version() {
            return HttpClient.Version.HTTP_1_1;
        }
    }

    /** A body already read into lines. */
    private static final class Lines implements SseEvents.LineSource {
        private final Deque<String> lines;

        Lines(String... lines) {
            this.lines = new ArrayDeque<>(List.of(lines));
        }

        @Override
        public String next(Duration idleTimeout) {
            return lines.poll();
        }

        @Override
        public boolean hasBuffered() {
            return true;
        }
    }
}
