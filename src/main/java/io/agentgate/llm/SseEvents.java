package io.agentgate.llm;

import java.io.IOException;
import java.time.Duration;

/**
 * Server-Sent Events framing over a line stream (the WHATWG rules that matter here): {@code data}
 * fields of one event are joined with newlines, a blank line ends the event, comments ({@code :})
 * and other fields ({@code event}, {@code id}, {@code retry}) are skipped. Payloads are handed on
 * whole for a JSON parser; nothing here looks inside them.
 */
final class SseEvents {

    /** Lines of a response body as they arrive ({@link StreamingLines} for a real upstream). */
    interface LineSource {
        /** The next line, or null once the body has ended; waits at most {@code idleTimeout}. */
        String next(Duration idleTimeout) throws InterruptedException, IOException;

        /** True when the next line (or the end) has already arrived. */
        boolean hasBuffered();
    }

    private final LineSource lines;
    private final Duration idleTimeout;

    SseEvents(LineSource lines, Duration idleTimeout) {
        this.lines = lines;
        this.idleTimeout = idleTimeout;
    }

    /** True when the next event's first line has already arrived, so reading it will not wait. */
    boolean hasBuffered() {
        return lines.hasBuffered();
    }

    /** The next event's data, or null once the body has ended. */
    String nextData() throws InterruptedException, IOException {
        StringBuilder data = null;
        while (true) {
            String line = lines.next(idleTimeout);
            if (line == null) {
                return data == null ? null : data.toString();
            }
            if (line.isEmpty()) {
                if (data != null) {
                    return data.toString();
                }
                continue;
            }
            int colon = line.indexOf(':');
            if (colon == 0) {
                continue;
            }
            String field = colon < 0 ? line : line.substring(0, colon);
            if (!field.equals("data")) {
                continue;
            }
            String value = colon < 0 ? "" : line.substring(colon + 1);
            value = value.startsWith(" ") ? value.substring(1) : value;
            data = data == null ? new StringBuilder(value) : data.append('\n').append(value);
        }
    }
}
