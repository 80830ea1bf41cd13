package io.agentgate.testing;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import io.agentgate.bootstrap.Gateway;
import io.agentgate.bootstrap.GatewayBootstrap;
import io.agentgate.llm.ModelClient;
import io.agentgate.config.ConfigLoader;
import io.agentgate.config.GatewayConfig;
import io.agentgate.standalone.StandaloneServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * A real gateway on a free loopback port, started in-process exactly as the standalone server
 * starts, with settings given by name ({@code AGENTGATE_*}) and a fresh database unless told.
 */
public final class TestGateway implements AutoCloseable {

    private final StandaloneServer server;
    private final GatewayConfig config;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private TestGateway(StandaloneServer server, GatewayConfig config) {
        this.server = server;
        this.config = config;
    }

    public static TestGateway start() {
        return start(Map.of());
    }

    public static TestGateway start(Map<String, String> settings) {
        return start(settings, null);
    }

    /** Starts with a model of the test's own in place of the configured one (null: configured). */
    public static TestGateway start(Map<String, String> settings, ModelClient model) {
        return start(settings, model, true);
    }

    /** Starts and returns as the launcher does, whether or not the database is there yet. */
    public static TestGateway startWithoutWaitingForTheDatabase(Map<String, String> settings) {
        return start(settings, null, false);
    }

    private static TestGateway start(Map<String, String> settings, ModelClient model, boolean awaitDatabase) {
        Map<String, String> all = new HashMap<>();
        all.put("AGENTGATE_PORT", "0");
        all.put("AGENTGATE_DATA_DIR", "target/unused-data-dir");
        if (!settings.containsKey("AGENTGATE_DB_URL") && !settings.containsKey("AGENTGATE_DATA_DIR")) {
            all.put("AGENTGATE_DB_URL", TestDatabase.freshDatabaseUrl());
        }
        all.putAll(settings);
        GatewayConfig config = ConfigLoader.load(all::get);
        try {
            Map<String, Object> attributes = model == null
                    ? Map.of()
                    : Map.of(GatewayBootstrap.MODEL_ATTRIBUTE, model);
            StandaloneServer server = StandaloneServer.start(config, attributes);
            // The database connects in the background: tests start once the gateway is ready.
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (awaitDatabase && !server.gateway().database().isReady()) {
                if (System.nanoTime() > deadline) {
                    server.close();
                    throw new IllegalStateException("the gateway's database was not ready within 60 s");
                }
                Thread.sleep(20);
            }
            return new TestGateway(server, config);
        } catch (Exception e) {
            throw new IllegalStateException("gateway did not start", e);
        }
    }

    public URI baseUri() {
        return server.baseUri();
    }

    public URI uri(String path) {
        return server.baseUri().resolve(path.startsWith("/") ? path.substring(1) : path);
    }

    public GatewayConfig config() {
        return config;
    }

    public Gateway gateway() {
        return server.gateway();
    }

    /** A JDBC connection to the gateway's own database. */
    public Connection db() throws SQLException {
        return gateway().database().dataSource().getConnection();
    }

    /** The official OpenAI Java SDK pointed at this gateway. */
    public OpenAIClient openAi() {
        return openAi("test-key");
    }

    public OpenAIClient openAi(String apiKey) {
        return OpenAIOkHttpClient.builder()
                .baseUrl(baseUri() + "v1")
                .apiKey(apiKey)
                .maxRetries(0)
                .timeout(Duration.ofSeconds(30))
                .build();
    }

    public HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(uri(path)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    public HttpResponse<String> postJson(String path, String json, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri(path))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json));
        if (headers.length > 0) {
            b.headers(headers);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    /**
     * Waits until every run record the gateway queued so far is in the runs table (they are written
     * behind the requests, within ~100 ms).
     */
    public void awaitRunsWritten() throws InterruptedException {
        org.junit.jupiter.api.Assertions.assertTrue(gateway().runs().awaitWritten(Duration.ofSeconds(10)),
                "run records written within 10 s");
    }

    /** Outcomes in the runs table, oldest first. */
    public java.util.List<String> runOutcomes() throws SQLException {
        try {
            gateway().runs().awaitWritten(Duration.ofSeconds(10)); // records are written behind the requests
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        java.util.List<String> out = new java.util.ArrayList<>();
        try (Connection c = db(); java.sql.Statement st = c.createStatement();
             java.sql.ResultSet rs = st.executeQuery("SELECT coalesce(outcome, 'running') FROM runs ORDER BY started_at")) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }

    public long countRuns(String outcome) throws SQLException {
        return runOutcomes().stream().filter(outcome::equals).count();
    }

    /**
     * Waits (up to 10 s) until the runs table holds this many runs with this outcome. Runs end on the
     * agent's thread, a moment after the client has read the response.
     */
    public void awaitRunOutcomeCount(String outcome, long count) throws Exception {
        Await.until(count + " runs with outcome " + outcome, () -> countRuns(outcome) >= count);
        java.util.List<String> seen = runOutcomes();
        org.junit.jupiter.api.Assertions.assertEquals(count, seen.stream().filter(outcome::equals).count(),
                "runs with outcome " + outcome + " in " + seen);
    }

    /** The test tool this gateway loaded (see {@link RecordingTool}). */
    public RecordingTool recordingTool() {
        return RecordingTool.of(gateway());
    }

    public HttpClient http() {
        return http;
    }

    @Override
    public void close() {
        server.close();
    }
}
