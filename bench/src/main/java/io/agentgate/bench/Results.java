package io.agentgate.bench;

import jakarta.json.Json;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.stream.JsonGenerator;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Writes {@code latest.json} (every key, null only with a reason in {@code reasons}, plus the
 * machine) and {@code latest.md} (the table the README shows).
 */
final class Results {

    /** Every key of latest.json, in table order; the CI smoke test checks the same list. */
    static final List<String> KEYS = List.of(
            "added_p50_us", "added_p99_us", "ttft_added_p50_us", "ttft_added_p99_us",
            "max_rps_ratio", "max_rps", "max_rps_proxy", "cpu_us_per_request",
            "stream_added_frame_p99_us", "stream_stalls", "relay_ratio", "session_op_ratio",
            "max_streams_held", "heap_mib_at_10k", "keepalive_max_gap_s", "suspend_100k_ms",
            "stop_cross_instance_p50_ms", "stop_cross_instance_p99_ms", "cold_start_ms");

    private Results() {}

    static void write(Path dir, List<Metric> metrics, Map<String, String> machine, String mode, String command)
            throws IOException {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("latest.json"), json(metrics, machine, mode, command));
        Files.writeString(dir.resolve("latest.md"), markdown(metrics, machine, mode, command));
    }

    static String json(List<Metric> metrics, Map<String, String> machine, String mode, String command) {
        JsonObjectBuilder root = Json.createObjectBuilder();
        JsonObjectBuilder reasons = Json.createObjectBuilder();
        JsonObjectBuilder details = Json.createObjectBuilder();
        for (String key : KEYS) {
            Metric m = metrics.stream().filter(x -> x.key().equals(key)).findFirst()
                    .orElse(Metric.unmeasured(key, key, Metric.Goal.atLeast(0, ""), "scenario did not run"));
            if (m.value() == null) {
                root.addNull(key);
                reasons.add(key, m.note());
            } else {
                root.add(key, m.value());
            }
            JsonObjectBuilder d = Json.createObjectBuilder()
                    .add("scenario", m.scenario())
                    .add("baseline", m.baseline())
                    .add("agentgate", m.agentgate())
                    .add("comparison", m.comparison())
                    .add("goal", m.goal().toString());
            if (m.met() != null) {
                d.add("met", m.met());
            }
            if (m.note() != null && !m.note().isEmpty()) {
                d.add("note", m.note());
            }
            details.add(key, d);
        }
        JsonObjectBuilder machineJson = Json.createObjectBuilder();
        machine.forEach(machineJson::add);
        root.add("machine", machineJson)
                .add("reasons", reasons)
                .add("details", details)
                .add("mode", mode)
                .add("command", command)
                .add("generated_at", Instant.now().toString());
        StringWriter out = new StringWriter();
        try (var writer = Json.createWriterFactory(Map.of(JsonGenerator.PRETTY_PRINTING, true)).createWriter(out)) {
            writer.write(root.build());
        }
        return out.toString().strip() + "\n";
    }

    /** Each key's value now beside the one in {@code committed} (the latest.json in git), as text. */
    static String comparison(List<Metric> metrics, Path committed) throws IOException {
        jakarta.json.JsonObject before = readResults(committed);
        StringBuilder out = new StringBuilder();
        out.append(String.format(java.util.Locale.ROOT, "%-28s %16s %16s  %s%n", "key", "committed", "now", "goal"));
        for (String key : KEYS) {
            Metric m = metrics.stream().filter(x -> x.key().equals(key)).findFirst().orElse(null);
            String now = m == null || m.value() == null ? "null" : Format.number(m.value());
            jakarta.json.JsonValue old = before == null ? null : before.get(key);
            String was = old == null ? "(no key)" : old.getValueType() == jakarta.json.JsonValue.ValueType.NUMBER
                    ? Format.number(((jakarta.json.JsonNumber) old).doubleValue()) : "null";
            out.append(String.format(java.util.Locale.ROOT, "%-28s %16s %16s  %s%n", key, was, now,
                    m == null ? "" : m.goal() + (m.met() == null ? "" : m.met() ? " met" : " missed")));
        }
        return out.toString();
    }

    /** Reads a results file; null when there is none. */
    private static jakarta.json.JsonObject readResults(Path file) throws IOException {
        if (file == null || !Files.isRegularFile(file)) {
            return null;
        }
        try (var reader = Json.createReader(Files.newBufferedReader(file))) {
            return reader.readObject();
        }
    }

    static String markdown(List<Metric> metrics, Map<String, String> machine, String mode, String command) {
        StringBuilder md = new StringBuilder();
        md.append("# agentgate benchmark (").append(mode).append(")\n\n");
        md.append("`").append(command).append("` on ").append(machine.get("cores")).append(" cores, JDK ")
                .append(machine.get("jdk")).append(", gateway `").append(machine.get("gateway_jvm_args"))
                .append("`, ").append(Instant.now()).append(".\n\n");
        md.append("| scenario | baseline | agentgate | ratio or difference | goal | met? |\n");
        md.append("|---|---|---|---|---|---|\n");
        for (Metric m : metrics) {
            String met = m.value() == null ? "not measured" : m.met() == null ? "—" : m.met() ? "yes" : "**no**";
            md.append("| ").append(m.scenario()).append(" (`").append(m.key()).append("`) | ")
                    .append(m.baseline()).append(" | ").append(m.agentgate()).append(" | ")
                    .append(m.comparison()).append(" | ").append(m.goal()).append(" | ").append(met).append(" |\n");
        }
        List<Metric> noted = metrics.stream().filter(m -> m.note() != null && !m.note().isEmpty()).toList();
        if (!noted.isEmpty()) {
            md.append("\nNotes:\n\n");
            for (Metric m : noted) {
                md.append("- `").append(m.key()).append("`: ").append(m.note()).append("\n");
            }
        }
        return md.toString();
    }
}
