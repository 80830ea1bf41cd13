package io.agentgate.testing;

import io.agentgate.bootstrap.Gateway;
import io.agentgate.tools.Tool;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A tool that only the test classpath offers (listed in the test resources'
 * {@code META-INF/services}, as an operator's jar would be): it records its calls so tests can
 * see whether the agent ran it, and throws when asked to. Each gateway loads its own instance;
 * {@link #of(Gateway)} finds it.
 */
public final class RecordingTool implements Tool {

    public static final String NAME = "test_recorder";
    private final List<JsonObject> calls = new CopyOnWriteArrayList<>();

    /** The instance the gateway's tool registry loaded. */
    public static RecordingTool of(Gateway gateway) {
        return (RecordingTool) gateway.tools().find(NAME).orElseThrow();
    }

    public List<JsonObject> calls() {
        return List.copyOf(calls);
    }

    public void reset() {
        calls.clear();
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "Records a note (test only). Set fail=true to make it throw, sleep_ms to make it slow.";
    }

    @Override
    public JsonObject parameters() {
        return Json.createObjectBuilder().add("type", "object")
                .add("properties", Json.createObjectBuilder()
                        .add("note", Json.createObjectBuilder().add("type", "string"))
                        .add("fail", Json.createObjectBuilder().add("type", "boolean"))
                        .add("sleep_ms", Json.createObjectBuilder().add("type", "integer")))
                .build();
    }

    @Override
    public String execute(JsonObject arguments) throws InterruptedException {
        calls.add(arguments);
        Thread.sleep(arguments.getInt("sleep_ms", 0));
        if (arguments.getBoolean("fail", false)) {
            throw new IllegalStateException("the recorder was told to fail");
        }
        return "recorded: " + arguments.getString("note", "");
    }
}
