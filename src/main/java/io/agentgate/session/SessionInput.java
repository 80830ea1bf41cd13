package io.agentgate.session;

import io.agentgate.chat.Message;
import java.util.List;
import java.util.Optional;

/**
 * How a chat request's messages read when the server keeps the history: the request's leading
 * system messages are this turn's instructions, its trailing user messages (or the results of the
 * client's own tools, {@code role: tool}, answering the calls the last turn ended with) the new
 * input; anything in between is the client's copy of history and is ignored in favour of the stored
 * transcript.
 */
record SessionInput(List<Message> systemMessages, List<Message> newInput, Optional<Command> command) {

    enum Command { STOP, RESET }

    static SessionInput of(List<Message> messages) throws MissingNewInputException {
        int firstNonSystem = 0;
        while (firstNonSystem < messages.size() && "system".equals(messages.get(firstNonSystem).role())) {
            firstNonSystem++;
        }
        int firstTrailingUser = messages.size();
        while (firstTrailingUser > firstNonSystem && isNewInput(messages.get(firstTrailingUser - 1).role())) {
            firstTrailingUser--;
        }
        if (firstTrailingUser == messages.size()) {
            throw new MissingNewInputException();
        }
        List<Message> newInput = List.copyOf(messages.subList(firstTrailingUser, messages.size()));
        return new SessionInput(List.copyOf(messages.subList(0, firstNonSystem)), newInput,
                "user".equals(newInput.getLast().role()) ? command(newInput.getLast().content()) : Optional.empty());
    }

    private static boolean isNewInput(String role) {
        return "user".equals(role) || "tool".equals(role);
    }

    private static Optional<Command> command(String content) {
        return switch (content == null ? "" : content.strip()) {
            case "/stop" -> Optional.of(Command.STOP);
            case "/new", "/reset" -> Optional.of(Command.RESET);
            default -> Optional.empty();
        };
    }
}
