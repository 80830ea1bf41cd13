package io.agentgate.model;

import io.agentgate.agent.AgentListener;
import io.agentgate.agent.Message;
import io.agentgate.api.Usage;
import java.time.Duration;
import java.util.List;

/**
 * The built-in model used when no upstream is configured, so a newcomer sees the whole path work:
 * it echoes the last user message back word by word, with a small delay between words.
 */
public final class DemoModel implements ModelClient {

    private final Duration wordDelay;

    public DemoModel(Duration wordDelay) {
        this.wordDelay = wordDelay;
    }

    @Override
    public ModelReply complete(ModelCall call, AgentListener listener) throws InterruptedException {
        String lastUser = lastUserText(call.messages());
        String[] words = lastUser.isBlank() ? new String[0] : lastUser.trim().split("\\s+");
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < words.length; i++) {
            if (i > 0 && !wordDelay.isZero()) {
                Thread.sleep(wordDelay);
            }
            String piece = i == 0 ? words[i] : " " + words[i];
            out.append(piece);
            listener.onContent(piece);
        }
        int promptTokens = call.messages().stream()
                .mapToInt(m -> m.content() == null ? 0 : countWords(m.content())).sum();
        return new ModelReply(out.toString(), List.of(), "stop", Usage.of(promptTokens, words.length));
    }

    @Override
    public List<String> modelIds() {
        return List.of(io.agentgate.config.GatewayConfig.DEMO_MODEL);
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
