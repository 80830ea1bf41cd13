package io.agentgate.api;

import java.time.Instant;
import java.util.UUID;

/** The identity every chunk of one completion repeats. */
public record CompletionId(String id, long created, String model) {

    public static CompletionId fresh(String model) {
        return new CompletionId("chatcmpl-" + UUID.randomUUID().toString().replace("-", ""),
                Instant.now().getEpochSecond(), model);
    }
}
