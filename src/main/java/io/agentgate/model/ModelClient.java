package io.agentgate.model;

import io.agentgate.agent.AgentListener;

/**
 * A chat model. Implementations stream: each visible content delta goes to the listener as it
 * arrives, and the assembled reply is returned at the end. Interrupting the calling thread must
 * abort the call promptly (that is how a disconnected client cancels its agent).
 */
public interface ModelClient extends AutoCloseable {

    ModelReply complete(ModelCall call, AgentListener listener) throws InterruptedException;

    /** The model ids this client serves, for {@code GET /v1/models}. */
    java.util.List<String> modelIds();

    /** Releases connections and threads when the gateway stops. */
    @Override
    default void close() {}
}
