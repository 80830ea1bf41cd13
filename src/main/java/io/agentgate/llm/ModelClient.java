package io.agentgate.llm;

import io.agentgate.chat.ContentSink;

/**
 * A chat model; the entry point of this package. Implementations stream: each visible content
 * delta goes to the sink as it arrives (flushed before the call waits for more), and the assembled
 * reply is returned at the end. Interrupting the calling thread must abort the call promptly (that
 * is how a cancelled turn stops its agent).
 */
public interface ModelClient extends AutoCloseable {

    ModelReply complete(ModelCall call, ContentSink sink) throws InterruptedException;

    /** The model ids this client serves, for {@code GET /v1/models}. */
    java.util.List<String> modelIds();

    /** Releases connections and threads when the gateway stops. */
    @Override
    default void close() {}
}
