package io.agentgate.standalone;

import io.agentgate.bootstrap.Gateway;
import io.agentgate.bootstrap.GatewayBootstrap;
import io.agentgate.config.ConfigLoader;
import io.agentgate.config.GatewayConfig;
import java.net.URI;
import org.eclipse.jetty.ee10.servlet.DefaultServlet;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.resource.Resource;
import org.eclipse.jetty.util.resource.ResourceFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs agentgate without a servlet container to deploy into: an embedded Jetty 12 with the same
 * {@link GatewayBootstrap} a WAR deployment uses. This launcher is the only code that knows Jetty.
 */
public final class StandaloneServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(StandaloneServer.class);
    /** Where the build puts a copy of webapp/ (without WEB-INF) on the classpath; see pom.xml. */
    static final String WEB_ROOT = "agentgate-webroot/";
    private static final long IDLE_TIMEOUT_FLOOR_MS = 30_000;
    /** The gateway's error page servlet (see web.xml's {@code <error-page>} for the WAR). */
    private static final String ERROR_PAGE = "/error";

    private final Server server;
    private final ServletContextHandler context;
    private final GatewayBootstrap bootstrap;
    private final URI baseUri;

    private StandaloneServer(Server server, ServletContextHandler context, GatewayBootstrap bootstrap, URI baseUri) {
        this.server = server;
        this.context = context;
        this.bootstrap = bootstrap;
        this.baseUri = baseUri;
    }

    public static void main(String[] args) throws Exception {
        GatewayConfig config = ConfigLoader.load(ConfigLoader.layered(name -> null));
        StandaloneServer running = start(config);
        // The launcher's own hook (a web application registers none): drain the turns, then stop the
        // application (its embedded PostgreSQL last), then the connectors.
        Runtime.getRuntime().addShutdownHook(new Thread(running::close, "agentgate-shutdown"));
        if (Boolean.getBoolean(STOP_WITH_PARENT)) {
            stopWithParent();
        }
        log.info("agentgate listening on {} (OpenAI base URL {}v1)", running.baseUri(), running.baseUri());
        running.server.join();
    }

    /**
     * Set by {@code mvn -Prun}: the gateway belongs to the command that started it. Ctrl-C reaches both
     * (one process group); a SIGTERM to Maven alone kills Maven without passing it on, so the gateway
     * watches its parent and stops with it instead of running on reparented to PID 1.
     */
    static final String STOP_WITH_PARENT = "agentgate.stopWithParent";

    private static void stopWithParent() {
        ProcessHandle.current().parent().ifPresent(parent -> parent.onExit().thenRun(() -> {
            log.info("The command that started the gateway (pid {}) ended; stopping", parent.pid());
            System.exit(0);
        }));
    }

    /** Starts on {@code config.port()}; port 0 picks a free one (see {@link #baseUri()}). */
    public static StandaloneServer start(GatewayConfig config) throws Exception {
        return start(config, java.util.Map.of());
    }

    /** As {@link #start(GatewayConfig)}, with extra servlet context attributes (see {@link GatewayBootstrap}). */
    public static StandaloneServer start(GatewayConfig config, java.util.Map<String, Object> attributes)
            throws Exception {
        Server server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost(config.host());
        connector.setPort(config.port());
        // A connection that sends nothing for this long is closed (stalled headers, a silent client); a
        // body that trickles gets its 408 from the gateway's own deadline (BodyReader). Never below
        // Jetty's default of 30 s, which quiet SSE streams between keepalives rely on.
        connector.setIdleTimeout(Math.max(IDLE_TIMEOUT_FLOOR_MS, config.requestBodyTimeout().toMillis()));
        server.addConnector(connector);
        server.setErrorHandler(new JsonErrorHandler());

        warnIfOpenWithoutKey(config);
        ServletContextHandler context = new ServletContextHandler("/");
        serveWebRoot(context);
        context.setAttribute(GatewayBootstrap.CONFIG_ATTRIBUTE, config);
        attributes.forEach(context::setAttribute);
        GatewayBootstrap bootstrap = new GatewayBootstrap();
        context.addEventListener(bootstrap);
        context.setErrorHandler(JsonErrorHandler.forContext(ERROR_PAGE));
        server.setHandler(context);
        server.setStopAtShutdown(false);
        server.start();
        if (!context.isAvailable()) {
            server.stop();
            throw new IllegalStateException("agentgate failed to start; see the log above");
        }
        String host = config.host().contains(":") ? "[" + config.host() + "]" : config.host();
        return new StandaloneServer(server, context, bootstrap, URI.create("http://" + host + ":" + connector.getLocalPort() + "/"));
    }

    /**
     * The console (webapp/, which a container serves from the WAR's root) from the classpath copy the
     * build makes under {@value #WEB_ROOT}, with Jetty's default servlet as the container would.
     */
    private static void serveWebRoot(ServletContextHandler context) {
        Resource webRoot = ResourceFactory.of(context).newClassLoaderResource(WEB_ROOT);
        if (webRoot == null) {
            log.warn("No {} on the classpath: the web console is not served", WEB_ROOT);
            return;
        }
        context.setBaseResource(webRoot);
        context.setWelcomeFiles(new String[] {"index.html"});
        ServletHolder files = context.addServlet(DefaultServlet.class, "/");
        files.setInitParameter("dirAllowed", "false");
    }

    /**
     * Without {@code AGENTGATE_API_KEY} only loopback clients are served (401 for the rest): say so
     * when listening beyond loopback, or the operator only sees clients refused.
     */
    private static void warnIfOpenWithoutKey(GatewayConfig config) {
        if (config.apiKey().isPresent()) {
            return;
        }
        boolean loopback;
        try {
            loopback = java.net.InetAddress.getByName(config.host()).isLoopbackAddress();
        } catch (java.net.UnknownHostException e) {
            loopback = false;
        }
        if (!loopback) {
            log.warn("Listening on {} without AGENTGATE_API_KEY: clients that are not on loopback will be refused"
                    + " with 401 on /v1/*, since no key is there to check. Set AGENTGATE_API_KEY to serve them.",
                    config.host());
        }
    }

    public URI baseUri() {
        return baseUri;
    }

    /** The running gateway's services (operators' tooling and tests reach the database through it). */
    public Gateway gateway() {
        return (Gateway) context.getServletContext().getAttribute(Gateway.ATTRIBUTE);
    }

    /**
     * Stops the server. Jetty closes the connections before the application stops, so the gateway
     * drains first, while its clients can still be told: turns finish within the grace period or end
     * with a {@code shutdown} error frame, and the turns cut from then on leave their sessions suspended.
     */
    @Override
    public void close() {
        bootstrap.drain();
        try {
            server.stop();
        } catch (Exception e) {
            log.warn("Server did not stop cleanly", e);
        }
    }
}
