package io.agentgate.tools;

import jakarta.json.JsonObject;

/**
 * A function the model may call. Implementations are found with {@link java.util.ServiceLoader}:
 * list the class in {@code META-INF/services/io.agentgate.tools.Tool} of a jar and put the jar in
 * {@code WEB-INF/lib} (or on the standalone server's classpath). They need a public no-argument
 * constructor, must be safe to call from many threads at once, and should respond to interrupts
 * (that is how a cancelled request stops a running tool).
 */
public interface Tool {

    /** The function name the model uses: letters, digits, {@code _} and {@code -}, at most 64. */
    String name();

    /** What the tool does and when to use it; the model decides from this text. */
    String description();

    /** JSON Schema of the arguments object, e.g. {@code {"type":"object","properties":{...}}}. */
    JsonObject parameters();

    /**
     * Runs the tool. The result is what the model reads next, usually plain text or JSON. A thrown
     * exception is not fatal: its message is given to the model as an error result.
     */
    String execute(JsonObject arguments) throws Exception;
}
