import io.agentgate.chat.Cancellation;
import io.agentgate.chat.Message;
import io.agentgate.chat.Usage;
import io.agentgate.config.ConfigLoader;
import io.agentgate.config.GatewayConfig;
import io.agentgate.db.Database;
import io.agentgate.llm.DemoModel;
import io.agentgate.session.SessionService;
import io.agentgate.session.SessionTurn;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;

/**
 * Session benchmarks through the gateway's own code, run by bench/run as a single-file program
 * compiled against the gateway's classpath ({@code java -cp <gateway> SessionProbe.java ...}), so
 * it needs no build of its own and breaks loudly when the session API changes.
 *
 * <pre>
 *   SessionProbe ops DATA_DIR CLIENTS OPS_PER_CLIENT   get-or-create + transcript append latency
 *   SessionProbe suspend DATA_DIR SESSIONS             start-up suspension of SESSIONS recent sessions
 * </pre>
 *
 * Starts the database the way the gateway does ({@link Database#start}: the embedded PostgreSQL
 * on DATA_DIR, Flyway, the HikariCP pool sized by AGENTGATE_DB_POOL_SIZE), with the gateway
 * stopped. Prints one line {@code RESULT {...}}; every figure in it is measured here.
 */
public class SessionProbe {

    public static void main(String[] args) throws Exception {
        String dataDir = args[1];
        GatewayConfig config = ConfigLoader.load(name -> name.equals("AGENTGATE_DATA_DIR") ? dataDir : System.getenv(name));
        ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
        ExecutorService workers = Executors.newVirtualThreadPerTaskExecutor();
        try (Database db = Database.start(config);
             SessionService sessions = new SessionService(db.dataSource(), db.unpooledDataSource("session-probe"),
                     "session-probe", new DemoModel(GatewayConfig.DEMO_MODEL, Duration.ZERO),
                     config.model(), config.sessions(), scheduler, workers)) {
            String result = switch (args[0]) {
                case "ops" -> ops(db.dataSource(), sessions, Integer.parseInt(args[2]), Integer.parseInt(args[3]));
                case "suspend" -> suspend(db.dataSource(), sessions, Integer.parseInt(args[2]));
                default -> throw new IllegalArgumentException("mode: ops or suspend");
            };
            System.out.println("RESULT " + result);
        } finally {
            scheduler.shutdownNow();
            workers.shutdownNow();
        }
        System.exit(0);
    }

    /**
     * {@code clients} threads, each a few session keys. Each iteration does one session op (begin:
     * get-or-create + lease; complete: append + release) and one baseline op, alternating which goes
     * first, so both are timed under the same load and the same JIT: the baseline used to run after
     * the session ops, on a JIT they had warmed, while the session ops were timed after 30 warm-up
     * iterations with the compiler threads still busy (perf: C1 + C2 a fifth of the box's CPU).
     */
    static String ops(DataSource ds, SessionService sessions, int clients, int opsPerClient) throws Exception {
        int warmup = Math.max(500, opsPerClient);
        // Baseline: the least a turn that creates-or-finds a row and then stores into it can pay, two
        // bare commits through the same pool (an INSERT ... ON CONFLICT and an UPDATE, autocommit).
        sql(ds, "DROP TABLE IF EXISTS bench_commit_baseline",
                "CREATE TABLE bench_commit_baseline (k text PRIMARY KEY, turns int NOT NULL DEFAULT 0, body text)");
        double[][] perClient = new double[clients][];
        double[][] baseClient = new double[clients][];
        run(clients, c -> {
            double[] samples = new double[opsPerClient];
            double[] baseSamples = new double[opsPerClient];
            for (int i = 0; i < warmup + opsPerClient; i++) {
                String key = "bench-ops-" + c + "-" + (i % 8);
                double op;
                double base;
                if (i % 2 == 0) {
                    op = sessionOp(sessions, key, i);
                    base = baselineOp(ds, "bench-base-" + c + "-" + (i % 8), i);
                } else {
                    base = baselineOp(ds, "bench-base-" + c + "-" + (i % 8), i);
                    op = sessionOp(sessions, key, i);
                }
                if (i >= warmup) {
                    samples[i - warmup] = op;
                    baseSamples[i - warmup] = base;
                }
            }
            perClient[c] = samples;
            baseClient[c] = baseSamples;
        });
        sql(ds, "DROP TABLE bench_commit_baseline");
        double[] ops = Arrays.stream(perClient).flatMapToDouble(Arrays::stream).toArray();
        double[] base = Arrays.stream(baseClient).flatMapToDouble(Arrays::stream).toArray();
        return String.format(Locale.ROOT, "{\"samples\":%d,\"warmup_per_client\":%d,\"p50_ms\":%.3f,\"p99_ms\":%.3f,"
                        + "\"baseline_p50_ms\":%.3f,\"baseline_p99_ms\":%.3f}",
                ops.length, warmup, pct(ops, 50), pct(ops, 99), pct(base, 50), pct(base, 99));
    }

    /** One session op, in milliseconds. */
    static double sessionOp(SessionService sessions, String key, int i) throws Exception {
        long t0 = System.nanoTime();
        SessionTurn turn = (SessionTurn) sessions.begin(key, List.of(Message.user("hello " + i)), new Cancellation());
        turn.complete(List.of(Message.assistant("hi " + i, null)), Usage.of(2, 2));
        return (System.nanoTime() - t0) / 1e6;
    }

    /** One baseline op (two bare commits), in milliseconds. */
    static double baselineOp(DataSource ds, String key, int i) throws Exception {
        long t0 = System.nanoTime();
        try (Connection con = ds.getConnection();
             PreparedStatement upsert = con.prepareStatement("INSERT INTO bench_commit_baseline (k) VALUES (?)"
                     + " ON CONFLICT (k) DO UPDATE SET turns = bench_commit_baseline.turns");
             PreparedStatement update = con.prepareStatement(
                     "UPDATE bench_commit_baseline SET turns = turns + 1, body = ? WHERE k = ?")) {
            upsert.setString(1, key);
            upsert.executeUpdate();
            update.setString(1, "hello " + i + " / hi " + i);
            update.setString(2, key);
            update.executeUpdate();
        }
        return (System.nanoTime() - t0) / 1e6;
    }

    /** Seeds {@code n} sessions touched just now, then times the start-up path's suspension of them. */
    static String suspend(DataSource ds, SessionService sessions, int n) throws Exception {
        String rows = " FROM generate_series(1, " + n + ") g";
        sql(ds, "DELETE FROM sessions WHERE session_key LIKE 'bench-suspend-%'",
                "INSERT INTO sessions (session_key, session_id, updated_at) "
                        + "SELECT 'bench-suspend-' || g, gen_random_uuid(), now()" + rows,
                "VACUUM ANALYZE sessions");
        long t0 = System.nanoTime();
        int suspended = sessions.suspendAtStartup().suspended();
        double ms = (System.nanoTime() - t0) / 1e6;
        // Baseline: as many rows flagged by a bare UPDATE of a plain table without indexes.
        sql(ds, "DROP TABLE IF EXISTS bench_suspend_baseline",
                "CREATE TABLE bench_suspend_baseline AS SELECT g AS id, now() AS updated_at, FALSE AS flag" + rows,
                "VACUUM ANALYZE bench_suspend_baseline");
        long b0 = System.nanoTime();
        sql(ds, "UPDATE bench_suspend_baseline SET flag = TRUE WHERE updated_at >= now() - interval '1 hour' AND NOT flag");
        double baseMs = (System.nanoTime() - b0) / 1e6;
        sql(ds, "DROP TABLE bench_suspend_baseline", "DELETE FROM sessions WHERE session_key LIKE 'bench-suspend-%'");
        return String.format(Locale.ROOT, "{\"seeded\":%d,\"suspended\":%d,\"ms\":%.1f,\"baseline_ms\":%.1f}",
                n, suspended, ms, baseMs);
    }

    static void sql(DataSource ds, String... statements) throws Exception {
        try (Connection c = ds.getConnection(); Statement st = c.createStatement()) {
            for (String statement : statements) {
                st.execute(statement);
            }
        }
    }

    interface Client {
        void run(int client) throws Exception;
    }

    static void run(int clients, Client body) throws Exception {
        CountDownLatch done = new CountDownLatch(clients);
        Exception[] failure = new Exception[1];
        for (int c = 0; c < clients; c++) {
            int id = c;
            Thread.ofPlatform().start(() -> {
                try {
                    body.run(id);
                } catch (Exception e) {
                    failure[0] = e;
                } finally {
                    done.countDown();
                }
            });
        }
        if (!done.await(10, TimeUnit.MINUTES)) {
            throw new IllegalStateException("clients did not finish in 10 minutes");
        }
        if (failure[0] != null) {
            throw failure[0];
        }
    }

    static double pct(double[] v, double p) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s[Math.max(0, (int) Math.ceil(p / 100 * s.length) - 1)];
    }
}
