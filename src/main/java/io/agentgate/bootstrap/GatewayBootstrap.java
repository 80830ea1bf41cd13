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
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
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

    private Gateway gateway;
    private ModelClient ownModel;
    private ScheduledExecutorService scheduler;

    @Override
    public void contextInitialized(ServletContextEvent event) {
        ServletContext context = event.getServletContext();
        GatewayConfig config = context.getAttribute(CONFIG_ATTRIBUTE) instanceof GatewayConfig given
                ? given.validate()
                : ConfigLoader.load(ConfigLoader.layered(context::getInitParameter));
        log.info("Starting agentgate: {}", config);

        Database database = Database.start(config);
        // Agents spend their lives waiting on the model and on client sockets: one virtual thread each.
        ExecutorService agentExecutor = Executors.newThreadPerTaskExecutor(
                Thread.ofVirtual().name("agent-", 0).factory());
        scheduler = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().name("keepalive").daemon(true).factory());
        KeepaliveScheduler keepalives = new KeepaliveScheduler(scheduler, agentExecutor, config.keepaliveInterval());
        // A model handed over by an embedder stays the embedder's to close; ours is closed on destroy.
        ownModel = context.getAttribute(MODEL_ATTRIBUTE) instanceof ModelClient ? null : createModel(config);
        ModelClient model = ownModel != null ? ownModel : (ModelClient) context.getAttribute(MODEL_ATTRIBUTE);

        // The web application's class loader, so tools in WEB-INF/lib jars are found.
        ToolRegistry tools = ToolRegistry.load(context.getClassLoader());
        Agent agent = new Agent(model, tools, config.maxIterations());
        PrometheusMeterRegistry metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        Gauge.builder("agentgate.sse.streams.open", keepalives, KeepaliveScheduler::openStreams)
                .description("SSE streams currently open").register(metrics);
        Secrets secrets = new Secrets(Stream.of(config.apiKey(), config.upstreamApiKey())
                .flatMap(Optional::stream).toList());

        String instanceId = InstanceIdentity.of(config);
        SessionService sessions = new SessionService(database.dataSource(),
                database.unpooledDataSource("agentgate-stop-listener"), instanceId, model, config.model(),
                config.sessions(), scheduler, agentExecutor);
        // Before any request: a conversation in flight when its instance went down must start fresh,
        // and runs left open by it are closed as interrupted.
        sessions.suspendAtStartup();
        RunTracker runs = new RunTracker(database.dataSource(), metrics, instanceId);
        runs.closeLeftOpenAtStartup();
        // Any live instance closes the runs of an instance that died, once its liveness expired.
        long sweep = config.sessions().lease().toMillis();
        scheduler.scheduleWithFixedDelay(() -> onWorkers(agentExecutor, runs::closeOrphaned), sweep, sweep,
                TimeUnit.MILLISECONDS);

        TurnRunner turns = new TurnRunner(agent, sessions, runs, secrets);
        gateway = new Gateway(config, database, model, tools, agentExecutor, keepalives, metrics, sessions, runs, turns);
        context.setAttribute(Gateway.ATTRIBUTE, gateway);
        HttpSurface.register(context, new HttpSurface.Services(config, database, metrics, model.modelIds(), turns,
                runs, sessions, agentExecutor, keepalives, scheduler, secrets));
        log.info("agentgate ready (model: {})", String.join(", ", model.modelIds()));
    }

    @Override
    public void contextDestroyed(ServletContextEvent event) {
        if (gateway == null) {
            return;
        }
        log.info("Stopping agentgate");
        gateway.stopping();
        gateway.keepalives().close();
        scheduler.shutdownNow();
        // Turns end as cancelled, not as failures; the executor's interrupt reaches what is left.
        gateway.turns().cancelAll(Cancellation.Reason.SHUTTING_DOWN);
        gateway.agentExecutor().shutdownNow();
        try {
            if (!gateway.agentExecutor().awaitTermination(10, TimeUnit.SECONDS)) {
                log.warn("Some agent tasks did not stop within 10 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        // After the turns ended: their leases are released (sessions suspended) and the instance leaves.
        gateway.sessions().close();
        if (ownModel != null) {
            ownModel.close();
            ownModel = null;
        }
        // Every run ended above; its record is written before the database goes away.
        gateway.runs().close();
        gateway.database().close();
        gateway.metrics().close();
        event.getServletContext().removeAttribute(Gateway.ATTRIBUTE);
        gateway = null;
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
                UpstreamSettings.RetryPolicy.DEFAULT));
    }
}
