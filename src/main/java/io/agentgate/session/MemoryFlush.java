package io.agentgate.session;

import io.agentgate.agent.AgentListener;
import io.agentgate.agent.Message;
import io.agentgate.model.ModelCall;
import io.agentgate.model.ModelClient;
import java.util.List;

/** Condenses a session's transcript, through the model, into a few notes worth keeping. */
final class MemoryFlush {

    /** The instruction of every summarisation call (tests recognise these calls by it). */
    static final String INSTRUCTION = "[Memory flush] Condense the conversation below into at most five short,"
            + " durable notes about the user and their ongoing work that will still matter in later"
            + " conversations. Answer with the notes only, one per line.";
    /** Only the tail of a very long transcript is condensed, so the call stays within a model's context. */
    private static final int MAX_MESSAGES = 200;

    private final ModelClient model;
    private final String modelId;

    MemoryFlush(ModelClient model, String modelId) {
        this.model = model;
        this.modelId = modelId;
    }

    String condense(List<TranscriptEntry> transcript) throws InterruptedException {
        StringBuilder text = new StringBuilder();
        for (TranscriptEntry entry : transcript.subList(Math.max(0, transcript.size() - MAX_MESSAGES),
                transcript.size())) {
            Message m = entry.message();
            if (m.content() != null && !m.content().isBlank()) {
                text.append(m.role()).append(": ").append(m.content()).append('\n');
            }
        }
        String notes = model.complete(new ModelCall(modelId, List.of(Message.system(INSTRUCTION),
                Message.user(text.toString()))), AgentListener.NONE).content();
        return notes == null || notes.isBlank() ? "(nothing durable)" : notes.strip();
    }
}
