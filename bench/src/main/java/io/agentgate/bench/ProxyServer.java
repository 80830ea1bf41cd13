package io.agentgate.bench;

import org.eclipse.jetty.ee10.proxy.ProxyServlet;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/**
 * The baseline relay, in its own JVM with the gateway's JVM flags: Jetty's own transparent proxy
 * servlet ({@code jetty-ee10-proxy}, the gateway's Jetty version, stock settings) forwarding every
 * path to the fake upstream. What it reaches on this box is what "relaying" costs here without an
 * agent, a database or a re-encoded stream.
 *
 * <p>Arguments: {@code --target http://127.0.0.1:N --ports-file F} (the chosen port is written to F
 * as {@code proxy=..}).
 */
public final class ProxyServer {

    private ProxyServer() {}

    public static void main(String[] args) throws Exception {
        Args a = Args.parse(args);
        Server server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        connector.setPort(a.integer("--port", 0));
        connector.setAcceptQueueSize(4096);
        server.addConnector(connector);
        ServletContextHandler context = new ServletContextHandler("/");
        ServletHolder proxy = new ServletHolder(new ProxyServlet.Transparent());
        proxy.setInitParameter("proxyTo", a.required("--target"));
        // The gateway opens as many upstream connections as it has streams: so may the baseline.
        proxy.setInitParameter("maxConnections", "2048");
        proxy.setAsyncSupported(true);
        context.addServlet(proxy, "/*");
        server.setHandler(context);
        server.start();
        FakeUpstream.announce(a, "proxy=" + connector.getLocalPort() + "\n");
        server.join();
    }
}
