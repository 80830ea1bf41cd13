package io.agentgate.agent;

import io.agentgate.chat.ChatFailure;
import io.agentgate.chat.ContentSink;
import io.agentgate.chat.FailureKind;
import io.agentgate.chat.Message;
import io.agentgate.chat.RequestOptions;
import io.agentgate.chat.ToolCall;
import io.agentgate.chat.ToolProgress;
import io.agentgate.chat.ToolSpec;
import io.agentgate.chat.Usage;
import io.agentgate.llm.ModelCall;
import io.agentgate.llm.ModelClient;
import io.agentgate.llm.ModelReply;
import jakarta.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One user turn of the agent loop, with the rules for replies that cannot simply be used:
 * <ul>
 *   <li>at most {@code maxIterations} model calls;</li>
 *   <li>tool calls whose arguments were cut off (or any tool calls in a {@code length} reply) are
 *       never executed: the turn ends partial, "Response truncated due to output length limit";</li>
 *   <li>other invalid tool arguments: the same call is made again, {@value #MAX_ATTEMPTS} attempts
 *       in all, then the turn fails;</li>
 *   <li>text cut by {@code length}: all reasoning and nothing visible ends the turn with a
 *       "thinking budget exhausted" notice; otherwise the model is asked to continue,
 *       {@value #MAX_ATTEMPTS} attempts in all, and the parts form one answer;</li>
 *   <li>a reply that calls any of the client's own tools ends the turn with those calls
 *       ({@code finish_reason: tool_calls}) for the client to run. Server tools called in the same
 *       reply are not run and are left out of that assistant message, so the client's transcript
 *       and the stored one are the same and every call in them gets its result before the model
 *       speaks again; the model may call them again in its next step.</li>
 * </ul>
 * A partial turn still completes (the client gets the notice as content and {@code length} as the
 * finish reason); only a failure that leaves no usable answer throws {@link ChatFailure}.
 */
final class AgentLoop {

    static final int MAX_ATTEMPTS = 3;
    static final String TRUNCATED = "Response truncated due to output length limit";
    static final String THINKING_BUDGET_EXHAUSTED = "Thinking budget exhausted: the model spent its whole output "
            + "budget on reasoning and wrote no answer. Raise the model's output token limit (max_tokens; "
            + "num_predict on Ollama) or lower its reasoning effort, or ask a narrower question, then try again.";
    static final String CONTINUE_PROMPT = "[Your previous reply was cut off by the output length limit. Continue "
            + "exactly where it stopped, without repeating anything, and finish the answer.]";
    private static final int PROGRESS_ARGUMENT_CHARS = 200;
    private static final Logger log = LoggerFactory.getLogger(AgentLoop.class);

    private final ModelClient model;
    private final List<ToolSpec> tools;
    private final Set<String> clientTools;
    private final ToolRunner runner;
    private final int maxIterations;
    private final String modelId;
    private final RequestOptions options;
    private final List<Message> conversation;
    /** What this turn added to the conversation: the transcript's share of it. */
    private final List<Message> added = new ArrayList<>();
    private final ShownText shown;
    private Usage usage = Usage.ZERO;
    /** Earlier parts of an answer cut by the length limit, awaiting their continuation. */
    private String continued = "";
    private int lengthAttempts;
    private int invalidArgumentAttempts;

    AgentLoop(ModelClient model, List<ToolSpec> serverTools, ToolRunner runner, int maxIterations,
              String modelId, List<Message> conversation, RequestOptions options, ToolProgress progress,
              ContentSink sink) {
        this.model = model;
        this.tools = Stream.concat(serverTools.stream(), options.clientTools().stream()).toList();
        this.clientTools = options.clientTools().stream().map(ToolSpec::name).collect(Collectors.toSet());
        this.runner = runner;
        this.maxIterations = maxIterations;
        this.modelId = modelId;
        this.options = options;
        this.conversation = new ArrayList<>(conversation);
        this.shown = new ShownText(sink, progress);
    }

    AgentResult run() throws InterruptedException {
        for (int call = 1; call <= maxIterations; call++) {
            ModelReply reply = model.complete(new ModelCall(modelId, nextMessages(), tools, parameters(call)), shown);
            usage = usage.plus(reply.usage());
            Optional<AgentResult> end = reply.hasToolCalls() ? afterToolCalls(reply) : afterText(reply);
            if (end.isPresent()) {
                return end.get();
            }
        }
        log.info("Turn stopped after {} model calls without a final answer", maxIterations);
        return partial(continued, "Stopped after " + maxIterations
                + " model calls without a final answer (AGENTGATE_MAX_ITERATIONS).");
    }

    /** The client's parameters; its tool_choice only on the first call, or a forced call would repeat forever. */
    private JsonObject parameters(int call) {
        if (call > 1 || options.toolChoice() == null) {
            return options.parameters();
        }
        return jakarta.json.Json.createObjectBuilder(options.parameters()).add("tool_choice", options.toolChoice())
                .build();
    }

    /** The conversation, plus the cut-off answer so far and a request to go on, when continuing. */
    private List<Message> nextMessages() {
        if (continued.isEmpty()) {
            return conversation;
        }
        List<Message> messages = new ArrayList<>(conversation);
        messages.add(Message.assistant(continued, null));
        messages.add(Message.user(CONTINUE_PROMPT));
        return messages;
    }

    private Optional<AgentResult> afterToolCalls(ModelReply reply) throws InterruptedException {
        ToolArguments arguments = ToolArguments.check(reply.toolCalls());
        if (arguments.verdict() == ToolArguments.Verdict.TRUNCATED || "length".equals(reply.finishReason())) {
            log.info("Tool calls cut off (finish_reason={}); executing none", reply.finishReason());
            return Optional.of(partial(continued + reply.content(), TRUNCATED));
        }
        if (arguments.verdict() == ToolArguments.Verdict.INVALID) {
            invalidArgumentAttempts++;
            log.info("Invalid JSON arguments for tool '{}' (attempt {} of {})",
                    arguments.firstInvalidTool(), invalidArgumentAttempts, MAX_ATTEMPTS);
            if (invalidArgumentAttempts >= MAX_ATTEMPTS) {
                throw new ChatFailure(FailureKind.UPSTREAM_ERROR, "The model sent invalid JSON arguments for tool '"
                        + arguments.firstInvalidTool() + "' " + MAX_ATTEMPTS + " times in a row; giving up.", null);
            }
            return Optional.empty();
        }
        invalidArgumentAttempts = 0;
        String text = continued + reply.content();
        continued = "";
        lengthAttempts = 0;
        List<ToolCall> forClient = reply.toolCalls().stream()
                .filter(c -> clientTools.contains(c.function().name())).toList();
        if (!forClient.isEmpty()) {
            if (forClient.size() < reply.toolCalls().size()) {
                log.info("Model called client and server tools in one reply; returning the {} client call(s), "
                        + "running none of the server ones", forClient.size());
            }
            add(Message.assistant(text.isEmpty() ? null : text, forClient));
            return Optional.of(new AgentResult(shown.text(), "tool_calls", usage, forClient, added, shown.steps()));
        }
        add(Message.assistant(text.isEmpty() ? null : text, reply.toolCalls()));
        for (int i = 0; i < reply.toolCalls().size(); i++) {
            ToolCall call = reply.toolCalls().get(i);
            shown.step(stepLine(call));
            add(Message.tool(call.id(), runner.run(call.function().name(), arguments.parsed().get(i))));
        }
        return Optional.empty();
    }

    private void add(Message message) {
        conversation.add(message);
        added.add(message);
    }

    private Optional<AgentResult> afterText(ModelReply reply) {
        String text = continued + reply.content();
        if (!"length".equals(reply.finishReason())) {
            added.add(Message.assistant(text, null));
            return Optional.of(new AgentResult(shown.text(), completedFinishReason(reply), usage, List.of(), added,
                    shown.steps()));
        }
        if (ReasoningTags.thinkingExhausted(text)) {
            log.info("Model exhausted its output budget on reasoning");
            return Optional.of(partial("", THINKING_BUDGET_EXHAUSTED));
        }
        lengthAttempts++;
        if (lengthAttempts >= MAX_ATTEMPTS) {
            log.info("Answer still cut off after {} attempts", lengthAttempts);
            return Optional.of(partial(text, TRUNCATED));
        }
        continued = text;
        return Optional.empty();
    }

    /**
     * A turn that ends short (cut off, thinking budget spent, iteration cap): the notice says why.
     * The transcript keeps the last step's text with the notice as the assistant's last message.
     */
    private AgentResult partial(String text, String notice) {
        shown.notice(notice);
        added.add(Message.assistant(text.isEmpty() ? notice : text + "\n\n" + notice, null));
        return new AgentResult(shown.text(), "length", usage, List.of(), added, shown.steps());
    }

    /** The client sees {@code stop} unless the model reported a content filter. */
    private static String completedFinishReason(ModelReply reply) {
        return "content_filter".equals(reply.finishReason()) ? "content_filter" : "stop";
    }

    /** One tool step, {@code <name> <arguments>} on one line (documented in docs/agent.md). */
    static String stepLine(ToolCall call) {
        // One line, whatever the model's formatting: a step is one line of the step channel.
        String arguments = call.function().arguments() == null ? ""
                : call.function().arguments().strip().replaceAll("\\s*\\R\\s*", " ");
        if (arguments.length() > PROGRESS_ARGUMENT_CHARS) {
            arguments = arguments.substring(0, PROGRESS_ARGUMENT_CHARS) + "…";
        }
        return call.function().name() + (arguments.isEmpty() ? "" : " " + arguments);
    }
}
