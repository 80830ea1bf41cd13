package io.agentgate.testing;

import io.agentgate.agent.AgentListener;
import io.agentgate.agent.Message;
import io.agentgate.api.Usage;
import io.agentgate.model.ModelCall;
import io.agentgate.model.ModelClient;
import io.agentgate.model.ModelReply;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An in-process model whose behaviour a test picks by the first word of the last user message
 * ("crash", "quiet", ...). It records every call it receives and every word it produced, so a
 * test can tell what the agent saw and whether it stopped.
 */
public final class ScriptedModel implements ModelClient {

    /** What the model does for one call. */
    @FunctionalInterface
    public interface Behaviour {
        ModelReply reply(ModelCall call, AgentListener listener, ScriptedModel model) throws InterruptedException;
    }

    private final Map<String, Behaviour> behaviours = new ConcurrentHashMap<>();
    private final List<ModelCall> calls = new CopyOnWriteArrayList<>();
    private final Map<String, AtomicInteger> wordsEmitted = new ConcurrentHashMap<>();

    public ScriptedModel on(String firstWord, Behaviour behaviour) {
        behaviours.put(firstWord, behaviour);
        return this;
    }

    @Override
    public ModelReply complete(ModelCall call, AgentListener listener) throws InterruptedException {
        calls.add(call);
        String text = lastUserText(call.messages());
        String first = text.trim().split("\\s+")[0];
        Behaviour b = behaviours.get(first);
        if (b == null) {
            return words(text, 0).reply(call, listener, this);
        }
        return b.reply(call, listener, this);
    }

    @Override
    public List<String> modelIds() {
        return List.of("scripted");
    }

    public List<ModelCall> calls() {
        return calls;
    }

    /** How many words the behaviour for this first word has emitted so far. */
    public int wordsEmitted(String firstWord) {
        return wordsEmitted.computeIfAbsent(firstWord, k -> new AtomicInteger()).get();
    }

    /** Emits each word of the text with a pause between words, then stops normally. */
    public static Behaviour words(String text, long pauseMillis) {
        return (call, listener, model) -> {
            String[] words = text.split(" ");
            StringBuilder out = new StringBuilder();
            String key = lastUserText(call.messages()).trim().split("\\s+")[0];
            for (int i = 0; i < words.length; i++) {
                if (i > 0 && pauseMillis > 0) {
                    Thread.sleep(pauseMillis);
                }
                String piece = i == 0 ? words[i] : " " + words[i];
                out.append(piece);
                listener.onContent(piece);
                model.wordsEmitted.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet();
            }
            return new ModelReply(out.toString(), List.of(), "stop", Usage.of(1, words.length));
        };
    }

    public static String lastUserText(List<Message> messages) {
        for (int i = messages.size() - 1; i >= 0; i--) {
            if ("user".equals(messages.get(i).role()) && messages.get(i).content() != null) {
                return messages.get(i).content();
            }
        }
        return "";
    }
}
