package io.agentgate.testing;

import io.agentgate.agent.AgentListener;
import io.agentgate.agent.Message;
import io.agentgate.api.ToolCall;
import io.agentgate.api.Usage;
import io.agentgate.model.ModelCall;
import io.agentgate.model.ModelClient;
import io.agentgate.model.ModelReply;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * A model for tests that records what it was sent. A user message containing {@link #LONG_TOOL}
 * makes the agent run a ten-minute tool; {@link #BLOCK} makes the model call itself wait until
 * interrupted; {@link #GATE} waits until {@link #openGate()}.
 * Memory-flush summarisation calls are answered with a note and counted apart.
 */
public final class RecordingModel implements ModelClient {

    public static final String BLOCK = "[block]";
    public static final String GATE = "[gate]";
    /** Asks for one call of {@link RecordingTool} that sleeps for ten minutes: a long tool run. */
    public static final String LONG_TOOL = "[long-tool]";
    public static final String NOTE_PREFIX = "NOTE: ";

    private final List<ModelCall> agentCalls = new CopyOnWriteArrayList<>();
    private final List<ModelCall> summaryCalls = new CopyOnWriteArrayList<>();
    private final Semaphore entered = new Semaphore(0);
    private final CountDownLatch gate = new CountDownLatch(1);

    @Override
    public ModelReply complete(ModelCall call, AgentListener listener) throws InterruptedException {
        if (isSummary(call)) {
            summaryCalls.add(call);
            String transcript = call.messages().getLast().content();
            return reply(NOTE_PREFIX + transcript.lines().findFirst().orElse("").strip());
        }
        agentCalls.add(call);
        String last = lastUser(call);
        boolean toolResultIn = "tool".equals(call.messages().getLast().role());
        if (last.contains(LONG_TOOL) && !toolResultIn) {
            return new ModelReply("", List.of(ToolCall.complete("call_long", RecordingTool.NAME,
                    "{\"note\":\"long run\",\"sleep_ms\":600000}")), "tool_calls", Usage.of(3, 2));
        }
        if (last.contains(BLOCK)) {
            listener.onContent("working…");
            entered.release();
            Thread.sleep(Duration.ofMinutes(10));
        } else if (last.contains(GATE)) {
            entered.release();
            gate.await();
        }
        String text = "reply to: " + last;
        listener.onContent(text);
        return reply(text);
    }

    @Override
    public List<String> modelIds() {
        return List.of("demo");
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

    /** Waits until a blocking or gated call has started. */
    public void awaitEntered() throws InterruptedException {
        if (!entered.tryAcquire(10, TimeUnit.SECONDS)) {
            throw new AssertionError("the model was never called with a blocking message");
        }
    }

    public void openGate() {
        gate.countDown();
    }

    /** All system message texts of a call, joined, for assertions. */
    public static String systemText(ModelCall call) {
        StringBuilder out = new StringBuilder();
        call.messages().stream().filter(m -> "system".equals(m.role())).forEach(m -> out.append(m.content()).append('\n'));
        return out.toString();
    }

    private static boolean isSummary(ModelCall call) {
        Message first = call.messages().getFirst();
        return "system".equals(first.role()) && first.content() != null && first.content().startsWith("[Memory flush]");
    }

    private static String lastUser(ModelCall call) {
        for (int i = call.messages().size() - 1; i >= 0; i--) {
            if ("user".equals(call.messages().get(i).role())) {
                return call.messages().get(i).content();
            }
        }
        return "";
    }

    private static ModelReply reply(String text) {
        return new ModelReply(text, List.of(), "stop", Usage.of(3, 2));
    }
}
