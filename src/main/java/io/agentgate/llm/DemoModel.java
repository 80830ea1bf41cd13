package io.agentgate.llm;

import io.agentgate.chat.ContentSink;
import io.agentgate.chat.Message;
import io.agentgate.chat.Usage;
import java.time.Duration;
import java.util.List;

/**
 * The built-in model used when no upstream is configured, so a newcomer sees the whole path work:
 * it echoes the last user message back word by word, with a small delay between words.
 */
public final class DemoModel implements ModelClient {

    private final String modelId;
    private final Duration wordDelay;

    public DemoModel(String modelId, Duration wordDelay) {
        this.modelId = modelId;
        this.wordDelay = wordDelay;
    }

    @Override
    public ModelReply complete(ModelCall call, ContentSink sink) throws InterruptedException {
        String lastUser = lastUserText(call.messages());
        String[] words = lastUser.isBlank() ? new String[0] : lastUser.trim().split("\\s+");
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < words.length; i++) {
            if (i > 0 && !wordDelay.isZero()) {
                Thread.sleep(wordDelay);
            }
            String piece = i == 0 ? words[i] : " " + words[i];
            out.append(piece);
            sink.content(piece);
            sink.flush();
        }
        int promptTokens = call.messages().stream()
                .mapToInt(m -> m.content() == null ? 0 : countWords(m.content())).sum();
        return new ModelReply(out.toString(), List.of(), "stop", Usage.of(promptTokens, words.length));
    }

    @Override
    public List<String> modelIds() {
        return List.of(modelId);
    }

    private static String lastUserText(List<Message> messages) {
        for (int i = messages.size() - 1; i >= 0; i--) {
            Message m = messages.get(i);
            if ("user".equals(m.role()) && m.content() != null) {
                return m.content();
            }
        }
        return "";
    }

    private static int countWords(String text) {
        String t = text.trim();
        return t.isEmpty() ? 0 : t.split("\\s+").length;
    }
}
