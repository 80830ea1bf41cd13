package io.agentgate.bench;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Stop across replicas: two gateways on one PostgreSQL (A with the embedded database, B connected to
 * it as an external one), a streaming turn on A (the demo model says one word, then waits an hour),
 * {@code POST /v1/sessions/{key}/stop} sent to B, and the time from sending the stop to A's error
 * frame arriving at the client. Baseline: the same stop sent to A itself (no database round trip
 * between instances). Also measured, fewer times: a stop whose notification is lost (written to the
 * database without NOTIFY, as every cross-instance stop was delivered before LISTEN/NOTIFY), which
 * only A's heartbeat finds, every third of the default 30 s lease.
 */
final class StopScenario {

    record Settings(int trials, int fallbackTrials) {}

    /** The default lease (30 s) over three: how often A's heartbeat looks for stops. */
    private static final long HEARTBEAT_MILLIS = 10_000;

    private StopScenario() {}

    static List<Metric> run(GatewayLaunch launch, LoadClient client, String dataDir, Settings settings)
            throws Exception {
        Map<String, String> quiet = Map.of("AGENTGATE_DEMO_WORD_DELAY_MS", Long.toString(3_600_000));
        Map<String, String> onA = new java.util.HashMap<>(quiet);
        onA.put("AGENTGATE_DATA_DIR", dataDir);
        onA.put("AGENTGATE_INSTANCE_ID", "bench-a");
        try (GatewayProcess a = GatewayProcess.start(launch, "stop-a", onA)) {
            a.awaitReady(client, 120_000);
            String jdbc = "jdbc:postgresql://127.0.0.1:" + postmasterPort(Path.of(dataDir)) + "/postgres";
            Map<String, String> onB = new java.util.HashMap<>(quiet);
            onB.put("AGENTGATE_DB_URL", jdbc);
            onB.put("AGENTGATE_INSTANCE_ID", "bench-b");
            double[] local = new double[settings.trials()];
            double[] cross = new double[settings.trials()];
            double[] lost = new double[settings.fallbackTrials()];
            // B stops before A: A's embedded PostgreSQL goes with A.
            try (GatewayProcess b = GatewayProcess.start(launch, "stop-b", onB)) {
                b.awaitReady(client, 120_000);
                for (int i = 0; i < settings.trials(); i++) {
                    local[i] = trial(client, a, "local-" + i, stopEndpoint(client, a));
                    cross[i] = trial(client, a, "cross-" + i, stopEndpoint(client, b));
                }
                try (Connection db = DriverManager.getConnection(jdbc, "postgres", "")) {
                    for (int i = 0; i < settings.fallbackTrials(); i++) {
                        // A random phase: back to back, every trial would start just after a heartbeat.
                        lost[i] = trial(client, a, "lost-" + i, (key, sending) -> {
                            Thread.sleep(ThreadLocalRandom.current().nextLong(HEARTBEAT_MILLIS));
                            sending.run();
                            stopWithoutNotify(db, key);
                        });
                    }
                }
            }
            return metrics(local, cross, lost);
        }
    }

    private static List<Metric> metrics(double[] local, double[] cross, double[] lost) {
        String note = cross.length + " trials each way; a lost notification (stop found by the heartbeat, as"
                + " before LISTEN/NOTIFY) over " + lost.length + " trials: p50 " + Format.ms(Stats.median(lost))
                + ", max " + Format.ms(Stats.percentile(lost, 100)) + " (default lease 30 s, heartbeat every 10 s; each"
                + " stop sent at a random point of the heartbeat's period)";
        List<Metric> out = new ArrayList<>();
        for (int p : new int[] {50, 99}) {
            double c = Stats.percentile(cross, p);
            double l = Stats.percentile(local, p);
            out.add(new Metric("stop_cross_instance_p" + p + "_ms",
                    "stop on B to error frame of A's stream p" + p,
                    "stop on A itself " + Format.ms(l), Format.ms(c), Stats.round(c, 1), Format.signed(c - l, "ms"),
                    Metric.Goal.atMost(1000, "ms"), note));
        }
        return out;
    }

    /** Sends a stop of {@code key}, calling {@code sending} right before it goes out. */
    private interface Stop {
        void send(String key, Runnable sending) throws Exception;
    }

    /** One stream on A, stopped once its first word arrived; milliseconds from the stop to its error frame. */
    private static double trial(LoadClient client, GatewayProcess a, String key, Stop stop) throws Exception {
        CountDownLatch firstWord = new CountDownLatch(1);
        CountDownLatch ended = new CountDownLatch(1);
        AtomicLong errorAt = new AtomicLong();
        String json = "{\"model\":\"demo\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"hold on\"}]}";
        client.stream(a.uri("v1/chat/completions"), json, key, new SseListener() {
            @Override
            public void onData(byte[] line, int from, int to) {
                String data = new String(line, from, to - from, StandardCharsets.UTF_8);
                if (data.startsWith("{\"error\"")) {
                    errorAt.compareAndSet(0, System.nanoTime());
                    ended.countDown();
                } else if (SseParser.hasContent(line, from, to)) {
                    firstWord.countDown();
                }
            }

            @Override
            public void onEnd(int status, Throwable failure) {
                firstWord.countDown();
                ended.countDown();
            }
        });
        if (!firstWord.await(30, TimeUnit.SECONDS)) {
            throw new IOException("no first word on A for " + key);
        }
        long[] stopAt = new long[1];
        stop.send(key, () -> stopAt[0] = System.nanoTime());
        if (!ended.await(60, TimeUnit.SECONDS) || errorAt.get() == 0) {
            throw new IOException("A's stream of " + key + " did not end with an error frame after the stop");
        }
        return (errorAt.get() - stopAt[0]) / 1e6;
    }

    /** {@code POST /v1/sessions/{key}/stop} on {@code gateway}. */
    private static Stop stopEndpoint(LoadClient client, GatewayProcess gateway) {
        return (key, sending) -> {
            URI uri = gateway.uri("v1/sessions/" + key + "/stop");
            sending.run();
            String body = client.post(uri, 10_000);
            if (body == null || !body.contains("\"stopped\":true")) {
                throw new IOException("stop at " + uri + " answered " + body);
            }
        };
    }

    /** The stop's row change without its NOTIFY: what a lost notification leaves for the heartbeat. */
    private static void stopWithoutNotify(Connection db, String key) throws Exception {
        try (PreparedStatement st = db.prepareStatement("""
                UPDATE sessions SET suspended = TRUE, stopped_run_id = running_run_id, running_run_id = NULL,
                       running_owner = NULL, lease_until = NULL
                 WHERE session_key = ? AND running_run_id IS NOT NULL""")) {
            st.setString(1, key);
            if (st.executeUpdate() != 1) {
                throw new IOException("no running turn of " + key + " to stop");
            }
        }
    }

    /** The embedded PostgreSQL's port: line 4 of its postmaster.pid. */
    private static int postmasterPort(Path dataDir) throws IOException {
        List<String> lines = Files.readAllLines(dataDir.resolve("pg").resolve("postmaster.pid"));
        return Integer.parseInt(lines.get(3).trim());
    }
}
