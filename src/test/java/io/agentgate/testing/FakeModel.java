package io.agentgate.testing;

import io.agentgate.chat.ContentSink;
import io.agentgate.chat.Message;
import io.agentgate.chat.ToolCall;
import io.agentgate.chat.Usage;
import io.agentgate.llm.ModelCall;
import io.agentgate.llm.ModelClient;
import io.agentgate.llm.ModelReply;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The one in-process model for tests (the HTTP-level upstream is {@link FakeUpstream}). A call is
 * answered by, in this order: the next queued reply ({@link #enqueue}), the behaviour picked by the
 * first word of the last user message ({@link #on}), the first behaviour whose marker the last user
 * message contains ({@link #whenContains}), else the default ({@link #otherwise}; echoes the user's
 * words). Memory-flush summarisation calls are answered with a note and counted apart. It records
 * every call, so a test can tell what the agent saw and whether it stopped. All state is per
 * instance: one fake per gateway or per test.
 */
public final class FakeModel implements ModelClient {

    /** What the model does for one call. */
    @FunctionalInterface
    public interface Behaviour {
        ModelReply reply(ModelCall call, ContentSink sink, FakeModel model) throws InterruptedException;
    }

    /** Makes the model call itself wait until interrupted (a model thinking for ten minutes). */
    public static final String BLOCK = "[block]";
    /** Makes the model call wait until {@link #openGate()}. */
    public static final String GATE = "[gate]";
    /** Asks for one call of {@link RecordingTool} that sleeps for ten minutes: a long tool run. */
    public static final String LONG_TOOL = "[long-tool]";
    /** How every summarisation answer starts: {@code NOTE: } and the transcript's first line. */
    public static final String NOTE_PREFIX = "NOTE: ";

    private final Queue<Behaviour> queued = new ConcurrentLinkedQueue<>();
    private final Map<String, Behaviour> byFirstWord = new ConcurrentHashMap<>();
    private final Map<String, Behaviour> byMarker = new java.util.LinkedHashMap<>();
    private volatile Behaviour otherwise = echo(0);
    private final List<ModelCall> agentCalls = new CopyOnWriteArrayList<>();
    private final List<ModelCall> summaryCalls = new CopyOnWriteArrayList<>();
    private final Map<String, AtomicInteger> wordsEmitted = new ConcurrentHashMap<>();
    private final Semaphore entered = new Semaphore(0);
    private final CountDownLatch gate = new CountDownLatch(1);

    /** The model the session tests use: replies "reply to: …", and understands the markers. */
    public static FakeModel forSessions() {
        return new FakeModel()
                .whenContains(LONG_TOOL, longToolRun())
                .whenContains(BLOCK, blockUntilInterrupted())
                .whenContains(GATE, waitForGate())
                .otherwise(replyTo());
    }

    /**
     * Answers the next calls with these replies, in order, before any other rule; each reply's
     * content is shown as a real model client streams it.
     */
    public FakeModel enqueue(ModelReply... replies) {
        for (ModelReply reply : replies) {
            queued.add((call, sink, model) -> {
                if (!reply.content().isEmpty()) {
                    say(sink, reply.content());
                }
                return reply;
            });
        }
        return this;
    }

    /** Answers the next call with this behaviour, before any other rule. */
    public FakeModel enqueue(Behaviour behaviour) {
        queued.add(behaviour);
        return this;
    }

    public FakeModel on(String firstWord, Behaviour behaviour) {
        byFirstWord.put(firstWord, behaviour);
        return this;
    }

    public FakeModel whenContains(String marker, Behaviour behaviour) {
        synchronized (byMarker) {
            byMarker.put(marker, behaviour);
        }
        return this;
    }

    public FakeModel otherwise(Behaviour behaviour) {
        this.otherwise = behaviour;
        return this;
    }

    @Override
    public ModelReply complete(ModelCall call, ContentSink sink) throws InterruptedException {
        if (isSummary(call)) {
            summaryCalls.add(call);
            String transcript = call.messages().getLast().content();
            return reply(NOTE_PREFIX + transcript.lines().findFirst().orElse("").strip());
        }
        agentCalls.add(call);
        return behaviourFor(call).reply(call, sink, this);
    }

    @Override
    public List<String> modelIds() {
        return List.of("fake");
    }

    public List<ModelCall> agentCalls() {
        return List.copyOf(agentCalls);
    }

    public ModelCall lastAgentCall() {
        return agentCalls.getLast();
    }

    public int summaryCount() {
        return summaryCalls.size();
    }

    /** How many words calls whose last user message starts with {@code firstWord} emitted so far. */
    public int wordsEmitted(String firstWord) {
        return wordsEmitted.computeIfAbsent(firstWord, k -> new AtomicInteger()).get();
    }

    /** Waits until a blocking or gated call has started. */
    public void awaitEntered() throws InterruptedException {
        if (!entered.tryAcquire(10, TimeUnit.SECONDS)) {
            throw new AssertionError("the model was never called with a blocking message");
        }
    }

    public void openGate() {
        gate.countDown();
    }

    // --- behaviours ---

    /** Echoes the last user message word by word, a pause between words. */
    public static Behaviour echo(long pauseMillis) {
        return (call, sink, model) -> model.emitWords(call, sink, lastUserText(call.messages()), pauseMillis);
    }

    /** Emits each word of {@code text} with a pause between words, then stops normally. */
    public static Behaviour words(String text, long pauseMillis) {
        return (call, sink, model) -> model.emitWords(call, sink, text, pauseMillis);
    }

    /** Says "reply to: " and the last user message, in one piece. */
    public static Behaviour replyTo() {
        return (call, sink, model) -> {
            String text = "reply to: " + lastUserText(call.messages());
            say(sink, text);
            return reply(text);
        };
    }

    /** Shows "working…", then waits until the call is interrupted. */
    public static Behaviour blockUntilInterrupted() {
        return (call, sink, model) -> {
            say(sink, "working…");
            model.entered.release();
            Thread.sleep(Duration.ofMinutes(10));
            return replyTo().reply(call, sink, model);
        };
    }

    /** Waits until {@link #openGate()}, then replies. */
    public static Behaviour waitForGate() {
        return (call, sink, model) -> {
            model.entered.release();
            model.gate.await();
            return replyTo().reply(call, sink, model);
        };
    }

    /** Calls {@link RecordingTool} for a ten-minute run; once its result is in, replies. */
    public static Behaviour longToolRun() {
        return (call, sink, model) -> {
            if ("tool".equals(call.messages().getLast().role())) {
                return replyTo().reply(call, sink, model);
            }
            return new ModelReply("", List.of(ToolCall.complete("call_long", RecordingTool.NAME,
                    "{\"note\":\"long run\",\"sleep_ms\":600000}")), "tool_calls", Usage.of(3, 2));
        };
    }

    /** Writes {@code text} to the sink and flushes it, as a model does before it waits. */
    public static void say(ContentSink sink, String text) {
        sink.content(text);
        sink.flush();
    }

    /** All system message texts of a call, joined, for assertions. */
    public static String systemText(ModelCall call) {
        StringBuilder out = new StringBuilder();
        call.messages().stream().filter(m -> "system".equals(m.role()))
                .forEach(m -> out.append(m.content()).append('\n'));
        return out.toString();
    }

    public static String lastUserText(List<Message> messages) {
        for (int i = messages.size() - 1; i >= 0; i--) {
            if ("user".equals(messages.get(i).role()) && messages.get(i).content() != null) {
                return messages.get(i).content();
            }
        }
        return "";
    }

    private Behaviour behaviourFor(ModelCall call) {
        Behaviour next = queued.poll();
        if (next != null) {
            return next;
        }
        String last = lastUserText(call.messages());
        Behaviour byWord = byFirstWord.get(firstWord(last));
        if (byWord != null) {
            return byWord;
        }
        synchronized (byMarker) {
            for (Map.Entry<String, Behaviour> rule : byMarker.entrySet()) {
                if (last.contains(rule.getKey())) {
                    return rule.getValue();
                }
            }
        }
        return otherwise;
    }

    private ModelReply emitWords(ModelCall call, ContentSink sink, String text, long pauseMillis) throws InterruptedException {
        String[] words = text.split(" ");
        List<String> pieces = new ArrayList<>();
        AtomicInteger counter = wordsEmitted.computeIfAbsent(firstWord(lastUserText(call.messages())),
                k -> new AtomicInteger());
        for (int i = 0; i < words.length; i++) {
            if (i > 0 && pauseMillis > 0) {
                Thread.sleep(pauseMillis);
            }
            String piece = i == 0 ? words[i] : " " + words[i];
            pieces.add(piece);
            say(sink, piece);
            counter.incrementAndGet();
        }
        return new ModelReply(String.join("", pieces), List.of(), "stop", Usage.of(1, words.length));
    }

    private static String firstWord(String text) {
        return text.trim().split("\\s+")[0];
    }

    private static boolean isSummary(ModelCall call) {
        Message first = call.messages().getFirst();
        return "system".equals(first.role()) && first.content() != null
                && first.content().startsWith("[Memory flush]");
    }

    private static ModelReply reply(String text) {
        return new ModelReply(text, List.of(), "stop", Usage.of(3, 2));
    }
}
