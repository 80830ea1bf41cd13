package io.agentgate.bench;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * Splits an SSE byte stream into lines without decoding it, so that parsing 10k streams or a
 * relay at full speed costs the client as little as possible. Keeps only a partial line between
 * network reads.
 */
final class SseParser {

    private static final byte[] DATA = "data: ".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    private final SseListener listener;
    private byte[] line = new byte[0];
    private int length;

    SseParser(SseListener listener) {
        this.listener = listener;
    }

    void feed(ByteBuffer buffer) {
        while (buffer.hasRemaining()) {
            byte b = buffer.get();
            if (b == '\n') {
                dispatch();
                length = 0;
            } else if (b != '\r') {
                if (length == line.length) {
                    line = Arrays.copyOf(line, Math.max(64, line.length * 2));
                }
                line[length++] = b;
            }
        }
    }

    private void dispatch() {
        if (length == 0) {
            return;
        }
        if (line[0] == ':') {
            listener.onComment();
        } else if (startsWithData()) {
            listener.onData(line, DATA.length, length);
        }
    }

    private boolean startsWithData() {
        if (length < DATA.length) {
            return false;
        }
        for (int i = 0; i < DATA.length; i++) {
            if (line[i] != DATA[i]) {
                return false;
            }
        }
        return true;
    }

    private static final byte[] CONTENT = "\"content\":\"".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    /** True for a chunk that carries a non-empty content delta (not the role or finish chunk). */
    static boolean hasContent(byte[] line, int from, int to) {
        outer:
        for (int i = from; i + CONTENT.length < to; i++) {
            for (int j = 0; j < CONTENT.length; j++) {
                if (line[i + j] != CONTENT[j]) {
                    continue outer;
                }
            }
            return line[i + CONTENT.length] != '"';
        }
        return false;
    }
}
