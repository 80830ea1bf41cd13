package io.agentgate.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * The fake side of the benchmark, in its own JVM: the fake OpenAI-compatible upstream on one port
 * and the bare-Jetty SSE baseline servlet on another, both on loopback.
 *
 * <p>Arguments: {@code --upstream-port N --baseline-port M --ports-file F} (ports default to 0 =
 * any free port; the chosen ports are written to F as {@code upstream=..} / {@code baseline=..}).
 */
public final class FakeUpstream {

    private FakeUpstream() {}

    public static void main(String[] args) throws Exception {
        Args a = Args.parse(args);
        // Blocking servlets that sleep between tokens: one thread per concurrent stream (TTFT runs 256).
        QueuedThreadPool threads = new QueuedThreadPool(1024, 16);
        threads.setName("fake");
        Server server = new Server(threads);
        ServerConnector upstream = connector(server, a.integer("--upstream-port", 0));
        ServerConnector baseline = connector(server, a.integer("--baseline-port", 0));
        upstream.setName("upstream");
        baseline.setName("baseline");

        ServletContextHandler context = new ServletContextHandler("/");
        // One instance for both paths: /bench/stats reports the completions /v1 served.
        org.eclipse.jetty.ee10.servlet.ServletHolder upstreamServlet =
                new org.eclipse.jetty.ee10.servlet.ServletHolder(new UpstreamServlet());
        context.addServlet(upstreamServlet, "/v1/*");
        context.addServlet(upstreamServlet, "/bench/stats");
        context.addServlet(new BaselineSseServlet(), "/sse");
        server.setHandler(context);
        server.start();

        String ports = "upstream=" + upstream.getLocalPort() + "\nbaseline=" + baseline.getLocalPort() + "\n";
        String file = a.string("--ports-file", null);
        if (file != null) {
            Path target = Path.of(file);
            Path tmp = target.resolveSibling(target.getFileName() + ".tmp");
            Files.writeString(tmp, ports);
            Files.move(tmp, target, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        }
        System.out.print(ports);
        server.join();
    }

    private static ServerConnector connector(Server server, int port) {
        ServerConnector c = new ServerConnector(server);
        c.setHost("127.0.0.1");
        c.setPort(port);
        c.setAcceptQueueSize(4096);
        server.addConnector(c);
        return c;
    }
}
