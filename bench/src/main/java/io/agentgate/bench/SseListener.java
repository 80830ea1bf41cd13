package io.agentgate.bench;

/** What one client-side SSE stream sees. Called from one Jetty thread at a time per stream. */
interface SseListener {

    /** A {@code data:} line; {@code line[from..to)} is the payload after {@code "data: "}. */
    default void onData(byte[] line, int from, int to) {}

    /** A comment line ({@code : keepalive}). */
    default void onComment() {}

    /** The response ended: {@code failure} is null for a clean end. */
    default void onEnd(int status, Throwable failure) {}
}
