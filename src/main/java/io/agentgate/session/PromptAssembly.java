package io.agentgate.session;

import io.agentgate.chat.Message;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The conversation the agent sees on a session turn: this request's instructions, the key's memory
 * notes, the note on why a session starts empty, the stored transcript, then the new input.
 */
final class PromptAssembly {

    static final String MEMORY_HEADER = "Notes from earlier conversations with this user:";
    static final int MEMORY_NOTES_IN_PROMPT = 5;

    private final SessionStore store;

    PromptAssembly(SessionStore store) {
        this.store = store;
    }

    /** Reads the key's notes and the session's transcript, then assembles (after a reset: the claim's read is stale). */
    List<Message> conversation(String key, UUID sessionId, Optional<ResetReason> lastReset, SessionInput input) {
        return conversation(new SessionStore.StoredConversation(store.memoryNotes(key, MEMORY_NOTES_IN_PROMPT),
                store.transcript(sessionId)), lastReset, input);
    }

    /** Assembles from what was already read (with the session's claim, in its transaction). */
    List<Message> conversation(SessionStore.StoredConversation stored, Optional<ResetReason> lastReset,
                               SessionInput input) {
        List<Message> conversation = new ArrayList<>(input.systemMessages());
        List<String> notes = stored.memoryNotes();
        if (!notes.isEmpty()) {
            conversation.add(Message.system(MEMORY_HEADER + "\n" + String.join("\n", notes)));
        }
        List<Message> transcript = stored.transcript();
        if (transcript.isEmpty()) {
            // The first call of a session started by an automatic reset learns why it starts empty.
            lastReset.flatMap(ResetReason::systemNote).map(Message::system).ifPresent(conversation::add);
        }
        conversation.addAll(transcript);
        conversation.addAll(input.newInput());
        return conversation;
    }
}
