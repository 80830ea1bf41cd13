package io.agentgate.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agentgate.chat.ToolSpec;
import io.agentgate.testing.RecordingTool;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

class ToolRegistryTest {

    @Test
    void serviceLoaderFindsTheBuiltInsAndToolsFromOtherJars() {
        ToolRegistry registry = ToolRegistry.load(getClass().getClassLoader());

        List<String> names = registry.specs().stream().map(ToolSpec::name).toList();
        assertTrue(names.containsAll(List.of("current_time", "calculate", RecordingTool.NAME)), names.toString());
        ToolSpec calculate = registry.specs().stream().filter(s -> s.name().equals("calculate")).findFirst().orElseThrow();
        assertEquals("object", calculate.parameters().getString("type"));
    }

    @Test
    void invalidAndDuplicateNamesAreSkipped() {
        ToolRegistry registry = new ToolRegistry(List.of(new CalculatorTool(), new CalculatorTool(), new Named("bad name!")));

        assertEquals(List.of("calculate"), registry.specs().stream().map(ToolSpec::name).toList());
    }

    @Test
    void currentTimeAnswersInTheAskedZone() {
        CurrentTimeTool tool = new CurrentTimeTool(Clock.fixed(Instant.parse("2026-01-02T03:04:05Z"), ZoneOffset.UTC));

        JsonObject paris = Json.createReader(new java.io.StringReader(
                tool.execute(Json.createObjectBuilder().add("timezone", "Europe/Paris").build()))).readObject();

        assertEquals("2026-01-02T04:04:05+01:00", paris.getString("iso"));
        assertEquals("Friday", paris.getString("weekday"));
        assertThrows(IllegalArgumentException.class,
                () -> tool.execute(Json.createObjectBuilder().add("timezone", "Mars/Olympus").build()));
    }

    private record Named(String name) implements Tool {
        @Override public String description() { return "x"; }
        @Override public JsonObject parameters() { return Json.createObjectBuilder().build(); }
        @Override public String execute(JsonObject arguments) { return ""; }
    }
}
