package io.agentgate.bootstrap;

import io.agentgate.agent.Agent;
import io.agentgate.chat.Cancellation;
import io.agentgate.config.ConfigLoader;
import io.agentgate.config.GatewayConfig;
import io.agentgate.db.Database;
import io.agentgate.http.HttpSurface;
import io.agentgate.llm.DemoModel;
import io.agentgate.llm.ModelClient;
import io.agentgate.llm.OpenAiCompatibleClient;
import io.agentgate.llm.UpstreamSettings;
import io.agentgate.runs.RunTracker;
import io.agentgate.security.Secrets;
import io.agentgate.session.SessionService;
import io.agentgate.sse.KeepaliveScheduler;
import io.agentgate.tools.ToolRegistry;
import io.agentgate.turn.TurnRunner;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one start-up path for every deployment (WAR on Jetty or Tomcat, and the standalone server):
 * reads configuration, starts the database and its migrations, creates the executors, registers
 * the HTTP surface; and on context destroy stops all of it in reverse order.
 */
public class GatewayBootstrap implements ServletContextListener {

    /** Context attribute by which the standalone server (or a test) hands over a ready config. */
    public static final String CONFIG_ATTRIBUTE = GatewayConfig.class.getName();
    /** Context attribute by which an embedding application (or a test) supplies its own model. */
    public static final String MODEL_ATTRIBUTE = ModelClient.class.getName();

    private static final Logger log = LoggerFactory.getLogger(GatewayBootstrap.class);
    /** After the grace period, how long cancelled turns and their responses get to end. */
    private static final Duration RESPONSES_WAIT = Duration.ofSeconds(5);
    /** The longest start-up waits for a database that is on its way (initdb and first start included). */
    private static final Duration STARTUP_WAIT = Duration.ofSeconds(60);

    private volatile Gateway gateway;
    private ModelClient ownModel;
    private ScheduledExecutorService scheduler;

    @Override
    public void contextInitialized(ServletContextEvent event) {
        ServletContext context = event.getServletContext();
        GatewayConfig config = context.getAttribute(CONFIG_ATTRIBUTE) instanceof GatewayConfig given
                ? given.validate()
                : ConfigLoader.load(ConfigLoader.layered(context::getInitParameter));
        log.info("Starting agentgate: {}", config);

        // The database connects in the background (the gateway answers /health at once, and /health/ready
        // once it is migrated); the start-up work that needs it runs then, after the services exist.
        CountDownLatch servicesBuilt = new CountDownLatch(1);
        AtomicReference<Runnable> startupWork = new AtomicReference<>(() -> {});
        Database database = Database.open(config, () -> {
            try {
                servicesBuilt.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("stopped before the start-up work ran", e);
            }
            startupWork.get().run();
        });
        // Agents spend their lives waiting on the model and on client sockets: one virtual thread each.
        ExecutorService agentExecutor = Executors.newThreadPerTaskExecutor(
                Thread.ofVirtual().name("agent-", 0).factory());
        ScheduledThreadPoolExecutor keepaliveThread = new ScheduledThreadPoolExecutor(1,
                Thread.ofPlatform().name("keepalive").daemon(true).factory());
        // Every request schedules its body deadline (30 s) and cancels it a moment later: left in the
        // queue, each cancelled one woke this thread when its time came (a wake-up per request, 30 s late).
        keepaliveThread.setRemoveOnCancelPolicy(true);
        scheduler = keepaliveThread;
        KeepaliveScheduler keepalives = new KeepaliveScheduler(scheduler, agentExecutor, config.keepaliveInterval());
        // A model handed over by an embedder stays the embedder's to close; ours is closed on destroy.
        ownModel = context.getAttribute(MODEL_ATTRIBUTE) instanceof ModelClient ? null : createModel(config);
        ModelClient model = ownModel != null ? ownModel : (ModelClient) context.getAttribute(MODEL_ATTRIBUTE);

        // The web application's class loader, so tools in WEB-INF/lib jars are found.
        ToolRegistry tools = ToolRegistry.load(context.getClassLoader());
        Agent agent = new Agent(model, tools, config.maxIterations(), config.toolProgressMode());
        PrometheusMeterRegistry metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        Gauge.builder("agentgate.sse.streams.open", keepalives, KeepaliveScheduler::openStreams)
                .description("SSE streams currently open").register(metrics);
        Secrets secrets = new Secrets(Stream.of(config.apiKey(), config.upstreamApiKey())
                .flatMap(Optional::stream).toList());

        String instanceId = InstanceIdentity.of(config);
        SessionService sessions = new SessionService(database.dataSource(),
                database.unpooledDataSource("agentgate-stop-listener"), instanceId, model, config.model(),
                config.sessions(), scheduler, agentExecutor);
        RunTracker runs = new RunTracker(database.dataSource(), metrics, instanceId, database::isReady);
        // Before any request: a conversation in flight when its instance went down must start fresh,
        // and runs left open by it are closed as interrupted.
        startupWork.set(() -> {
            sessions.suspendAtStartup();
            runs.closeLeftOpenAtStartup();
        });
        // Any live instance closes the runs of an instance that died, once its liveness expired.
        long sweep = config.sessions().lease().toMillis();
        scheduler.scheduleWithFixedDelay(() -> onWorkers(agentExecutor, runs::closeOrphaned), sweep, sweep,
                TimeUnit.MILLISECONDS);

        TurnRunner turns = new TurnRunner(agent, sessions, runs, secrets);
        gateway = new Gateway(config, database, model, tools, agentExecutor, keepalives, metrics, sessions, runs, turns);
        context.setAttribute(Gateway.ATTRIBUTE, gateway);
        HttpSurface.register(context, new HttpSurface.Services(config, database, metrics, model.modelIds(), turns,
                runs, sessions, agentExecutor, keepalives, scheduler, secrets, agent.toolNames()));
        servicesBuilt.countDown();
        // The context serves once this returns: wait while the database is on its way (a redeployed copy
        // joining the running embedded server is ready before its first request), not while it is away.
        if (database.awaitStartup(STARTUP_WAIT)) {
            log.info("agentgate ready (model: {})", String.join(", ", model.modelIds()));
        } else {
            log.warn("agentgate started without its database (model: {}): /health/ready answers 503 and turns fail"
                    + " with database_unavailable until it is reachable", String.join(", ", model.modelIds()));
        }
    }

    @Override
    public void contextDestroyed(ServletContextEvent event) {
        drain();
        if (gateway == null) {
            return;
        }
        gateway.keepalives().close();
        scheduler.shutdownNow();
        // After the turns ended: their leases are released (sessions suspended) and the instance leaves.
        gateway.sessions().close();
        if (ownModel != null) {
            ownModel.close();
            ownModel = null;
        }
        // Last: every run ended above and its record, queued behind the request, is written now; the
        // embedded PostgreSQL stops here (not in a JVM hook).
        gateway.runs().close();
        gateway.database().close();
        gateway.metrics().close();
        event.getServletContext().removeAttribute(Gateway.ATTRIBUTE);
        gateway = null;
        log.info("agentgate stopped");
    }

    /**
     * Stops taking turns and lets those in flight finish within {@code AGENTGATE_SHUTDOWN_GRACE_SECONDS};
     * the rest end with a {@code shutdown} error. Called on context destroy, and earlier by a launcher
     * that can (the standalone server, before its connectors close). Idempotent.
     */
    public void drain() {
        Gateway running = gateway;
        if (running == null || running.turns().isDraining()) {
            return;
        }
        // Turns cut from now on leave their sessions suspended (as after a crash).
        running.stopping();
        Duration grace = running.config().lifecycle().shutdownGrace();
        log.info("Stopping agentgate: new turns are refused; turns in flight have {} s to finish",
                grace.toMillis() / 1000.0);
        int left = running.turns().drain(grace, RESPONSES_WAIT);
        if (left > 0) {
            log.warn("{} turn(s) did not end within {} s of being told to stop", left, RESPONSES_WAIT.toSeconds());
        }
        // The turns ended; their last frames and bodies are written on the agent threads after that,
        // and must be before a launcher closes the connections.
        ExecutorService agents = running.agentExecutor();
        agents.shutdown();
        try {
            if (!agents.awaitTermination(RESPONSES_WAIT.toSeconds(), TimeUnit.SECONDS)) {
                log.warn("Some agent tasks did not stop within {} s; interrupting them", RESPONSES_WAIT.toSeconds());
                agents.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Hands a scheduler tick to the workers, so the scheduler thread never waits on the database. */
    private static void onWorkers(ExecutorService workers, Runnable task) {
        try {
            workers.execute(task);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            log.debug("Maintenance skipped: executor shut down");
        }
    }

    private static ModelClient createModel(GatewayConfig config) {
        if (config.usesDemoModel()) {
            return new DemoModel(GatewayConfig.DEMO_MODEL, config.demoWordDelay());
        }
        return new OpenAiCompatibleClient(new UpstreamSettings(
                config.upstreamBaseUrl().get(),
                config.upstreamApiKey(),
                config.model(),
                config.upstreamConnectTimeout(),
                config.upstreamReadTimeout(),
                UpstreamSettings.RetryPolicy.DEFAULT,
                config.upstreamMaxLineBytes()));
    }
}
