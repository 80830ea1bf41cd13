package io.agentgate.agent;

import io.agentgate.tools.Tool;
import io.agentgate.tools.ToolRegistry;
import jakarta.json.JsonObject;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one tool call and always returns what the model should read next: a tool that throws, or a
 * name the model made up, becomes an error result the model can react to, never a failed turn. Only
 * an interrupt (the request was cancelled) ends the turn.
 */
final class ToolRunner {

    private static final Logger log = LoggerFactory.getLogger(ToolRunner.class);
    /** A tool result is fed back into the context window; beyond this it is cut. */
    static final int MAX_RESULT_CHARS = 100_000;

    private final ToolRegistry tools;

    ToolRunner(ToolRegistry tools) {
        this.tools = tools;
    }

    String run(String name, JsonObject arguments) throws InterruptedException {
        Optional<Tool> tool = tools.find(name);
        if (tool.isEmpty()) {
            log.info("Model called unknown tool '{}'", name);
            return "Error: there is no tool named '" + name + "'. Available tools: "
                    + String.join(", ", tools.specs().stream().map(t -> t.name()).toList()) + ".";
        }
        try {
            String result = tool.get().execute(arguments);
            return cap(result == null ? "" : result);
        } catch (InterruptedException e) {
            throw e;
        } catch (Exception e) {
            if (Thread.currentThread().isInterrupted()) {
                // The tool swallowed our interrupt into another exception; the request is cancelled.
                throw new InterruptedException("tool '" + name + "' interrupted");
            }
            log.info("Tool '{}' failed: {}", name, e.toString());
            log.debug("Tool failure detail", e);
            String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            return "Error: " + message;
        }
    }

    private static String cap(String result) {
        return result.length() <= MAX_RESULT_CHARS
                ? result
                : result.substring(0, MAX_RESULT_CHARS) + "\n[result cut at " + MAX_RESULT_CHARS + " characters]";
    }
}
