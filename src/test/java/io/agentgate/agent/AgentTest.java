package io.agentgate.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agentgate.chat.Cancellation;
import io.agentgate.chat.ChatFailure;
import io.agentgate.chat.ContentSink;
import io.agentgate.chat.FailureKind;
import io.agentgate.chat.Message;
import io.agentgate.chat.ToolCall;
import io.agentgate.chat.ToolProgress;
import io.agentgate.chat.Usage;
import io.agentgate.llm.ModelReply;
import io.agentgate.testing.FakeModel;
import io.agentgate.testing.RecordingTool;
import io.agentgate.tools.ToolRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The agent loop's rules against an in-process fake model and a real tool, with no HTTP and no
 * database: what the model is sent, what the tools run, what the client is shown, how a turn ends.
 */
class AgentTest {

    private final FakeModel model = new FakeModel();
    private final RecordingTool tool = new RecordingTool();
    private final Shown shown = new Shown();

    @Test
    void aTextAnswerIsShownAsItArrivesAndFinishesWithStop() throws Exception {
        model.enqueue(FakeModel.words("Hello there", 0));

        AgentResult result = run(3, "hi");

        assertEquals("Hello there", result.content());
        assertEquals("stop", result.finishReason());
        assertEquals(List.of("Hello", " there"), shown.pieces);
        assertTrue(shown.flushedAfterEveryPiece(), "a producer flushes before it waits: " + shown.events);
        assertEquals(List.of(Message.user("hi")), model.lastAgentCall().messages());
        assertEquals(List.of(RecordingTool.NAME), model.lastAgentCall().tools().stream().map(t -> t.name()).toList());
    }

    @Test
    void aToolCallRunsTheToolAndFeedsTheResultBack() throws Exception {
        model.enqueue(toolCalls("tool_calls", ToolCall.complete("call_1", RecordingTool.NAME, "{\"note\": \"x\"}")),
                text("Done.", "stop"));

        AgentResult result = run(3, "record x");

        assertEquals(1, tool.calls().size());
        assertEquals("x", tool.calls().getFirst().getString("note"));
        assertEquals("Done.", result.content(), "tool progress is not part of the answer");
        assertEquals(RecordingTool.NAME + " {\"note\": \"x\"}\n", result.steps());
        assertEquals(List.of("assistant", "tool", "assistant"), result.messages().stream().map(Message::role).toList(),
                "the turn's real tool call and result, then the answer: what a session stores");
        assertEquals(Message.assistant("Done.", null), result.messages().get(2));
        List<Message> second = model.agentCalls().get(1).messages();
        assertEquals("assistant", second.get(1).role());
        assertEquals("call_1", second.get(1).toolCalls().getFirst().id());
        assertEquals(Message.tool("call_1", "recorded: x"), second.get(2));
        assertEquals(Usage.of(6, 4), result.usage(), "usage of both model calls");
    }

    @Test
    void anUnknownToolOrAFailingToolIsAnErrorResultForTheModelNotAFailedTurn() throws Exception {
        model.enqueue(toolCalls("tool_calls",
                        ToolCall.complete("call_a", RecordingTool.NAME, "{\"fail\": true}"),
                        ToolCall.complete("call_b", "no_such_tool", "{}")),
                text("Both failed.", "stop"));

        AgentResult result = run(3, "try");

        List<Message> second = model.agentCalls().get(1).messages();
        assertEquals("Error: the recorder was told to fail", second.get(2).content());
        assertTrue(second.get(3).content().startsWith("Error: there is no tool named 'no_such_tool'"), second.get(3).content());
        assertTrue(result.content().endsWith("Both failed."));
    }

    @Test
    void cutOffToolArgumentsAreNeverExecuted() throws Exception {
        model.enqueue(toolCalls("tool_calls", ToolCall.complete("c", RecordingTool.NAME, "{\"note\": \"cut mid-")));

        AgentResult result = run(3, "write");

        assertEquals(List.of(), tool.calls());
        assertEquals(AgentLoop.TRUNCATED, result.content());
        assertEquals("length", result.finishReason());
        assertEquals(1, model.agentCalls().size());
    }

    @Test
    void invalidToolArgumentsAreRetriedThenTheTurnFails() {
        for (int i = 0; i < AgentLoop.MAX_ATTEMPTS; i++) {
            model.enqueue(toolCalls("tool_calls", ToolCall.complete("c" + i, RecordingTool.NAME, "{'note': 1}")));
        }

        ChatFailure failure = assertThrows(ChatFailure.class, () -> run(10, "record"));

        assertEquals(FailureKind.UPSTREAM_ERROR, failure.kind());
        assertTrue(failure.getMessage().contains("invalid JSON arguments"), failure.getMessage());
        assertEquals(AgentLoop.MAX_ATTEMPTS, model.agentCalls().size());
        assertEquals(model.agentCalls().get(0).messages(), model.agentCalls().get(2).messages(), "the same call again");
        assertEquals(List.of(), tool.calls());
    }

    @Test
    void aLengthCutAnswerIsContinuedAndThePartsJoined() throws Exception {
        model.enqueue(text("The first part", "length"), text(" and the end.", "stop"));

        AgentResult result = run(5, "tell me");

        assertEquals("The first part and the end.", result.content());
        assertEquals("stop", result.finishReason());
        List<Message> second = model.agentCalls().get(1).messages();
        assertEquals(Message.assistant("The first part", null), second.get(1));
        assertEquals(AgentLoop.CONTINUE_PROMPT, second.get(2).content());
    }

    @Test
    void anAnswerThatIsAllReasoningEndsWithTheThinkingBudgetNotice() throws Exception {
        model.enqueue(text("<think>weighing every possibility", "length"));

        AgentResult result = run(5, "hard");

        assertTrue(result.content().endsWith(AgentLoop.THINKING_BUDGET_EXHAUSTED), result.content());
        assertEquals("length", result.finishReason());
        assertEquals(1, model.agentCalls().size());
    }

    @Test
    void theIterationCapEndsAnEndlessToolLoopWithANotice() throws Exception {
        model.enqueue(toolCalls("tool_calls", ToolCall.complete("c1", RecordingTool.NAME, "{}")),
                toolCalls("tool_calls", ToolCall.complete("c2", RecordingTool.NAME, "{}")));

        AgentResult result = run(2, "loop");

        assertTrue(result.content().endsWith("Stopped after 2 model calls without a final answer (AGENTGATE_MAX_ITERATIONS)."),
                result.content());
        assertEquals("length", result.finishReason());
        assertEquals(2, tool.calls().size());
    }

    @Test
    void cancellingTheTurnInterruptsTheModelCall() throws Exception {
        model.enqueue(FakeModel.blockUntilInterrupted());
        Cancellation cancellation = new Cancellation();
        CompletableFuture<AgentResult> running = CompletableFuture.supplyAsync(() -> {
            try {
                return cancellation.interruptibly(() -> run(3, "think"));
            } catch (InterruptedException e) {
                throw new IllegalStateException("interrupted", e);
            }
        });
        model.awaitEntered();

        cancellation.cancel(Cancellation.Reason.STOPPED);

        ExecutionException ended = assertThrows(ExecutionException.class, () -> running.get(5, TimeUnit.SECONDS));
        assertTrue(ended.getCause().getCause() instanceof InterruptedException, ended.toString());
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.EnumSource(ToolProgress.class)
    void toolStepsGoWhereToolProgressSaysAndNeverIntoTheStoredMessages(ToolProgress progress) throws Exception {
        model.enqueue(toolCalls("tool_calls", ToolCall.complete("call_1", RecordingTool.NAME, "{\"note\": \"x\"}")),
                text("Done.", "stop"));
        Agent agent = new Agent(model, new ToolRegistry(List.of(tool)), 3, progress);

        AgentResult result = agent.run("test-model", List.of(Message.user("record x")), shown);

        String line = RecordingTool.NAME + " {\"note\": \"x\"}";
        switch (progress) {
            case REASONING_CONTENT -> {
                assertEquals("Done.", result.content());
                assertEquals(List.of(line), shown.steps);
            }
            case CONTENT -> {
                assertEquals("[tool] " + line + "\n\nDone.", result.content());
                assertEquals(List.of(), shown.steps);
            }
            case OFF -> {
                assertEquals("Done.", result.content());
                assertEquals(List.of(), shown.steps);
            }
        }
        assertTrue(result.messages().stream().noneMatch(m -> m.content() != null && m.content().contains("[tool]")),
                result.messages().toString());
    }

    private AgentResult run(int maxIterations, String userText) throws InterruptedException {
        Agent agent = new Agent(model, new ToolRegistry(List.of(tool)), maxIterations);
        return agent.run("test-model", List.of(Message.user(userText)), shown);
    }

    private static ModelReply text(String content, String finishReason) {
        return new ModelReply(content, List.of(), finishReason, Usage.of(3, 2));
    }

    private static ModelReply toolCalls(String finishReason, ToolCall... calls) {
        return new ModelReply("", List.of(calls), finishReason, Usage.of(3, 2));
    }

    /** What the client would have been shown, and when it was flushed. */
    private static final class Shown implements ContentSink {
        final List<String> pieces = new ArrayList<>();
        final List<String> events = new ArrayList<>();
        final List<String> steps = new ArrayList<>();

        @Override
        public void step(String line) {
            steps.add(line);
        }

        @Override
        public void content(String text) {
            pieces.add(text);
            events.add("content");
        }

        @Override
        public void flush() {
            events.add("flush");
        }

        boolean flushedAfterEveryPiece() {
            for (int i = 0; i < events.size(); i++) {
                if (events.get(i).equals("content") && (i + 1 == events.size() || !events.get(i + 1).equals("flush"))) {
                    return false;
                }
            }
            return true;
        }
    }
}
