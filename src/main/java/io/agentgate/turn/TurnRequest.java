package io.agentgate.turn;

import io.agentgate.chat.Message;
import io.agentgate.chat.RequestOptions;
import java.util.List;
import java.util.Optional;

/**
 * One validated chat completion request: the model the client named, its messages, the session key
 * ({@code X-Session-Key}; empty for a stateless request), whether it streams, and its parameters and
 * tools ({@link RequestOptions}).
 */
public record TurnRequest(String model, List<Message> messages, Optional<String> sessionKey, boolean streaming,
                          RequestOptions options) {

    public TurnRequest {
        messages = List.copyOf(messages);
        options = options == null ? RequestOptions.NONE : options;
    }

    public TurnRequest(String model, List<Message> messages, Optional<String> sessionKey, boolean streaming) {
        this(model, messages, sessionKey, streaming, RequestOptions.NONE);
    }
}
