package io.agentgate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agentgate.api.JsonP;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonValue;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The benchmark harness stays runnable and its output keeps its shape, without running it (that
 * takes minutes and its timings are never a pass/fail test): {@code bench/run} parses and answers
 * {@code --help}, and the committed {@code bench/results/latest.json} has every key, each a number
 * or null with a reason, plus the machine it ran on.
 */
class BenchSmokeTest {

    private static final Path BENCH = Path.of("bench");
    private static final List<String> KEYS = List.of(
            "added_p50_us", "added_p99_us", "ttft_added_p50_us", "ttft_added_p99_us",
            "max_rps_ratio", "max_rps", "max_rps_proxy", "cpu_us_per_request",
            "stream_added_frame_p99_us", "stream_stalls", "relay_ratio", "session_op_ratio",
            "max_streams_held", "heap_mib_at_10k", "keepalive_max_gap_s", "suspend_100k_ms",
            "stop_cross_instance_p50_ms", "stop_cross_instance_p99_ms", "cold_start_ms");

    @Test
    void runScriptParsesAndExplainsItself() throws Exception {
        assertTrue(Files.isExecutable(BENCH.resolve("run")), "bench/run must be executable");
        assertEquals(0, bash("-n", "bench/run").exitCode(), "bash -n bench/run");
        Result help = bash("bench/run", "--help");
        assertEquals(0, help.exitCode(), help.output());
        assertTrue(help.output().contains("--quick"), help.output());
        assertTrue(help.output().contains("--compare"), help.output());
        assertTrue(bash("bench/run", "--no-such-flag").exitCode() != 0, "an unknown flag must fail");
    }

    @Test
    void latestResultsHaveEveryKeyAndTheMachine() throws IOException {
        JsonObject results;
        try (JsonReader reader = JsonP.PROVIDER.createReader(
                new StringReader(Files.readString(BENCH.resolve("results/latest.json"))))) {
            results = reader.readObject();
        }
        JsonObject reasons = results.getJsonObject("reasons");
        for (String key : KEYS) {
            assertTrue(results.containsKey(key), "latest.json lacks " + key);
            JsonValue value = results.get(key);
            if (value.getValueType() == JsonValue.ValueType.NULL) {
                assertTrue(reasons != null && !reasons.getString(key, "").isBlank(), key + " is null without a reason");
            } else {
                assertEquals(JsonValue.ValueType.NUMBER, value.getValueType(), key);
            }
        }
        JsonObject machine = results.getJsonObject("machine");
        for (String field : List.of("cores", "jdk", "heap")) {
            assertTrue(machine.containsKey(field), "machine lacks " + field);
        }
        String table = Files.readString(BENCH.resolve("results/latest.md"));
        assertTrue(table.contains("| scenario | baseline | agentgate | ratio or difference | goal | met? |"), table);
        KEYS.forEach(key -> assertTrue(table.contains("`" + key + "`"), "latest.md lacks " + key));
    }

    private record Result(int exitCode, String output) {}

    private static Result bash(String... args) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of("bash"));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), "bash " + String.join(" ", args) + " did not finish");
        return new Result(p.exitValue(), out);
    }
}
