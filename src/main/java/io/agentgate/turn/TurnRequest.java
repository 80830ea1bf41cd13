package io.agentgate.turn;

import io.agentgate.chat.Message;
import java.util.List;
import java.util.Optional;

/**
 * One validated chat completion request: the model the client named, its messages, the session key
 * ({@code X-Session-Key}; empty for a stateless request) and whether it streams.
 */
public record TurnRequest(String model, List<Message> messages, Optional<String> sessionKey, boolean streaming) {

    public TurnRequest {
        messages = List.copyOf(messages);
    }
}
