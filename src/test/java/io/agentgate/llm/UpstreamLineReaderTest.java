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
import java.util.concurrent.Executors;
import java.util.concurrent.Flow;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * The upstream's SSE stream as the gateway reads it, with no network: {@link StreamingLines} fed
 * bytes the way the JDK HTTP client feeds its body subscriber, and {@link SseEvents} framing lines.
 */
class UpstreamLineReaderTest {

    private static final Duration WAIT = Duration.ofSeconds(5);
    private static final int MAX_LINE = 32 * 1024 * 1024;
    private static final ScheduledExecutorService WATCH = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().daemon(true).factory());

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
    void silenceAfterSomeLinesIsATimeoutToo() throws Exception {
        Body body = body();
        body.subscriber.onNext(List.of(bytes("data: one\n")));

        assertEquals("data: one", body.lines.next(Duration.ofMillis(50)));
        long waited = System.nanoTime();
        assertThrows(HttpTimeoutException.class, () -> body.lines.next(Duration.ofMillis(50)));
        assertTrue(System.nanoTime() - waited < Duration.ofSeconds(5).toNanos());
    }

    @Test
    void bytesThatKeepComingKeepTheReaderWaitingPastTheIdleTimeout() throws Exception {
        Body body = body();
        // A line in five pieces 40 ms apart: 160 ms in all, no gap as long as the 100 ms timeout.
        Thread feeder = Thread.ofPlatform().start(() -> {
            try {
                for (String piece : List.of("da", "ta", ": sl", "o", "w\n")) {
                    Thread.sleep(40);
                    body.subscriber.onNext(List.of(bytes(piece)));
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });

        assertEquals("data: slow", body.lines.next(Duration.ofMillis(100)));
        feeder.join();
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
    void crLfAndBareCrEndLinesEvenWhenSplitAcrossBuffers() throws Exception {
        Body body = body();
        body.subscriber.onNext(List.of(bytes("a\r"), bytes("\nb\rc\n"), bytes("d\r")));
        body.subscriber.onNext(List.of(bytes("e\r\n\r\n")));
        body.subscriber.onComplete();

        for (String expected : new String[] {"a", "b", "c", "d", "e", ""}) {
            assertEquals(expected, body.lines.next(WAIT));
        }
        assertNull(body.lines.next(WAIT));
    }

    @Test
    void aLineLongerThanTheMaximumEndsTheBodyAndTheExchange() throws Exception {
        HttpResponse.BodySubscriber<StreamingLines> subscriber = StreamingLines.handler(1024, WATCH).apply(new Info());
        subscriber.onSubscribe(subscription());
        StreamingLines lines = subscriber.getBody().toCompletableFuture().join();
        subscriber.onNext(List.of(bytes("short\n"), bytes("x".repeat(1000))));
        subscriber.onNext(List.of(bytes("x".repeat(100))));

        assertEquals("short", lines.next(WAIT));
        assertThrows(StreamingLines.LineTooLongException.class, () -> lines.next(WAIT));
        assertTrue(cancelled.get(), "the exchange is aborted");
    }

    @Test
    void aBodyEndingMidLineIsTruncatedButAnErrorBodyKeepsItsLastLine() throws Exception {
        Body stream = body();
        stream.subscriber.onNext(List.of(bytes("data: {}\n\ndata: {\"cho")));
        stream.subscriber.onComplete();
        assertEquals("data: {}", stream.lines.next(WAIT));
        assertEquals("", stream.lines.next(WAIT));
        assertThrows(StreamingLines.TruncatedLineException.class, () -> stream.lines.next(WAIT));

        Body error = body();
        error.subscriber.onNext(List.of(bytes("{\"error\":{\"message\":\"bad\"}}")));
        error.subscriber.onComplete();
        assertEquals("{\"error\":{\"message\":\"bad\"}}", error.lines.readRest(WAIT, 1000));
    }

    /**
     * One long line costs CPU time in proportion to its length: 16 MiB costs about 16 times 1 MiB,
     * 4 MiB about 4 times (the JDK's line adapter took 0.57 / 1.1 / 4.0 s for 1 / 2 / 4 MiB).
     * Relative cost only, the fastest of several runs on this thread's CPU clock; quadratic growth
     * would make the ratios about 16 and 256.
     */
    @Test
    void longLinesCostLinearTime() throws Exception {
        for (int i = 0; i < 3; i++) {
            readOneLine(4 << 20); // warm-up
        }
        long oneMiB = fastest(1 << 20);
        long fourMiB = fastest(4 << 20);
        long sixteenMiB = fastest(16 << 20);
        double four = (double) fourMiB / oneMiB;
        double sixteen = (double) sixteenMiB / oneMiB;
        System.out.printf("line cost: 1 MiB %.1f ms, 4 MiB %.1f ms (x%.1f), 16 MiB %.1f ms (x%.1f)%n",
                oneMiB / 1e6, fourMiB / 1e6, four, sixteenMiB / 1e6, sixteen);
        assertTrue(four < 10 && sixteen < 48, "cost of 4 MiB = " + four + " x 1 MiB, 16 MiB = " + sixteen + " x 1 MiB");
    }

    private long fastest(int lineBytes) throws Exception {
        long best = Long.MAX_VALUE;
        for (int i = 0; i < 5; i++) {
            best = Math.min(best, readOneLine(lineBytes));
        }
        return best;
    }

    /** Feeds one line of {@code lineBytes} in 16 KiB buffers, as the JDK client delivers them; CPU nanoseconds. */
    private long readOneLine(int lineBytes) throws Exception {
        byte[] chunk = new byte[16 * 1024];
        java.util.Arrays.fill(chunk, (byte) 'x');
        HttpResponse.BodySubscriber<StreamingLines> subscriber = StreamingLines.handler(MAX_LINE, WATCH).apply(new Info());
        subscriber.onSubscribe(subscription());
        StreamingLines lines = subscriber.getBody().toCompletableFuture().join();
        java.lang.management.ThreadMXBean cpu = java.lang.management.ManagementFactory.getThreadMXBean();
        long start = cpu.getCurrentThreadCpuTime();
        for (int sent = 0; sent < lineBytes; sent += chunk.length) {
            subscriber.onNext(List.of(ByteBuffer.wrap(chunk)));
        }
        subscriber.onNext(List.of(bytes("\n")));
        assertEquals(lineBytes, lines.next(WAIT).length());
        return cpu.getCurrentThreadCpuTime() - start;
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
        HttpResponse.BodySubscriber<StreamingLines> subscriber = StreamingLines.handler(MAX_LINE, WATCH).apply(new Info());
        subscriber.onSubscribe(subscription());
        return new Body(subscriber, subscriber.getBody().toCompletableFuture().join());
    }

    private Flow.Subscription subscription() {
        return new Flow.Subscription() {
            @Override
            public void request(long n) {
                // the tests push buffers themselves
            }

            @Override
            public void cancel() {
                cancelled.set(true);
            }
        };
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
