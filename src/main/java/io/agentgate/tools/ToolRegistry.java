package io.agentgate.tools;

import io.agentgate.chat.ToolSpec;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The tools the agent offers the model, by name. Immutable once loaded. */
public final class ToolRegistry {

    private static final Logger log = LoggerFactory.getLogger(ToolRegistry.class);
    // What OpenAI accepts as a function name; others get the whole request refused upstream.
    private static final Pattern VALID_NAME = Pattern.compile("[A-Za-z0-9_-]{1,64}");

    private final Map<String, Tool> tools = new LinkedHashMap<>();

    public ToolRegistry(Collection<? extends Tool> candidates) {
        for (Tool tool : candidates) {
            String name = tool.name();
            if (name == null || !VALID_NAME.matcher(name).matches()) {
                log.warn("Ignoring tool {}: invalid name '{}'", tool.getClass().getName(), name);
            } else if (tools.putIfAbsent(name, tool) != null) {
                log.warn("Ignoring tool {}: the name '{}' is taken by {}", tool.getClass().getName(), name,
                        tools.get(name).getClass().getName());
            }
        }
    }

    /**
     * Every {@link Tool} the class loader's {@code META-INF/services} lists. In a WAR, pass the web
     * application's class loader so jars in {@code WEB-INF/lib} are seen. A tool that fails to load
     * is logged and skipped; it does not stop the gateway.
     */
    public static ToolRegistry load(ClassLoader classLoader) {
        List<Tool> found = new java.util.ArrayList<>();
        var iterator = ServiceLoader.load(Tool.class, classLoader).iterator();
        while (true) {
            try {
                if (!iterator.hasNext()) {
                    break;
                }
                found.add(iterator.next());
            } catch (ServiceConfigurationError e) {
                log.warn("A tool could not be loaded: {}", e.getMessage());
            }
        }
        ToolRegistry registry = new ToolRegistry(found);
        log.info("Tools: {}", registry.tools.isEmpty() ? "none" : String.join(", ", registry.tools.keySet()));
        return registry;
    }

    public Optional<Tool> find(String name) {
        return Optional.ofNullable(tools.get(name));
    }

    /** The tools in OpenAI {@code tools} form, in load order. */
    public List<ToolSpec> specs() {
        return tools.values().stream()
                .map(t -> new ToolSpec(t.name(), t.description(), t.parameters()))
                .toList();
    }
}
