package io.agentgate.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * The mock upstream, in its own JVM: the fake OpenAI-compatible model on loopback.
 *
 * <p>Arguments: {@code --upstream-port N --ports-file F} (the port defaults to 0 = any free port;
 * the chosen port is written to F as {@code upstream=..}).
 */
public final class FakeUpstream {

    private FakeUpstream() {}

    public static void main(String[] args) throws Exception {
        Args a = Args.parse(args);
        // Blocking servlets that sleep between tokens: one thread per concurrent stream (the stream
        // scenario holds 512, the open-loop rate scenario up to its in-flight cap).
        QueuedThreadPool threads = new QueuedThreadPool(2048, 16);
        threads.setName("fake");
        Server server = new Server(threads);
        ServerConnector upstream = connector(server, a.integer("--upstream-port", 0));
        upstream.setName("upstream");

        ServletContextHandler context = new ServletContextHandler("/");
        // One instance for both paths: /bench/stats reports the completions /v1 served.
        org.eclipse.jetty.ee10.servlet.ServletHolder upstreamServlet =
                new org.eclipse.jetty.ee10.servlet.ServletHolder(new UpstreamServlet());
        context.addServlet(upstreamServlet, "/v1/*");
        context.addServlet(upstreamServlet, "/bench/stats");
        server.setHandler(context);
        server.start();

        announce(a, "upstream=" + upstream.getLocalPort() + "\n");
        server.join();
    }

    /** Prints the chosen ports and writes them, atomically, to {@code --ports-file} when given (bench/run waits for it). */
    static void announce(Args a, String ports) throws java.io.IOException {
        String file = a.string("--ports-file", null);
        if (file != null) {
            Path target = Path.of(file);
            Path tmp = target.resolveSibling(target.getFileName() + ".tmp");
            Files.writeString(tmp, ports);
            Files.move(tmp, target, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        }
        System.out.print(ports);
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
