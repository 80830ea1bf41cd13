package io.agentgate.sse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServletResponse;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * One SSE response ends one way, however it ends: one idempotent close, one close callback on every
 * ending (as Javalin's SseClient). Against a stub response, with no server.
 */
class SseStreamTest {

    private final Output out = new Output();
    private final AtomicInteger completions = new AtomicInteger();
    private final AtomicInteger callbacks = new AtomicInteger();

    @Test
    void closingTwiceCompletesOnceAndRunsTheCallbackOnce() throws Exception {
        SseStream sse = SseStream.open(async(), Map.of("X-Session-Key", "k"));
        sse.onClose(callbacks::incrementAndGet);

        sse.close();
        sse.close();

        assertEquals(1, completions.get());
        assertEquals(1, callbacks.get());
        assertFalse(sse.isOpen());
        assertFalse(sse.data("late", true), "nothing is written after the end");
    }

    @Test
    void aFailedWriteEndsTheStreamTheSameWay() throws Exception {
        SseStream sse = SseStream.open(async(), Map.of());
        sse.onClose(callbacks::incrementAndGet);
        assertTrue(sse.data("{\"a\":1}", true));

        out.failing = true;

        assertFalse(sse.data("{\"a\":2}", true));
        assertEquals(1, callbacks.get());
        assertEquals(1, completions.get());
        assertEquals("data: {\"a\":1}\n\n", out.written());
    }

    @Test
    void aCallbackRegisteredAfterTheEndRunsAtOnce() throws Exception {
        SseStream sse = SseStream.open(async(), Map.of());
        sse.close();

        sse.onClose(callbacks::incrementAndGet);

        assertEquals(1, callbacks.get());
    }

    @Test
    void heldBackContentLeavesWithTheNextFlush() throws Exception {
        SseStream sse = SseStream.open(async(), Map.of());
        int flushesBefore = out.flushes;

        sse.data("one", false);
        sse.data("two", false);
        assertEquals(flushesBefore, out.flushes);
        sse.flush();

        assertEquals(flushesBefore + 1, out.flushes);
        assertEquals("data: one\n\ndata: two\n\n", out.written());
    }

    private AsyncContext async() {
        HttpServletResponse response = (HttpServletResponse) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {HttpServletResponse.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "getOutputStream" -> out;
                    default -> null;
                });
        return (AsyncContext) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {AsyncContext.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "getResponse" -> response;
                    case "complete" -> {
                        completions.incrementAndGet();
                        yield null;
                    }
                    default -> null;
                });
    }

    /** A response body that can start failing, as a socket does when the client is gone. */
    private static final class Output extends ServletOutputStream {
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        boolean failing;
        int flushes;

        @Override
        public void write(int b) throws IOException {
            if (failing) {
                throw new IOException("client gone");
            }
            bytes.write(b);
        }

        @Override
        public void flush() throws IOException {
            if (failing) {
                throw new IOException("client gone");
            }
            flushes++;
        }

        @Override
        public boolean isReady() {
            return true;
        }

        @Override
        public void setWriteListener(WriteListener listener) {}

        String written() {
            return bytes.toString(StandardCharsets.UTF_8);
        }
    }
}
