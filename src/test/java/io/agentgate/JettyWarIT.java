package io.agentgate;

import io.agentgate.testing.ConsoleBrowser;
import io.agentgate.testing.ErrorPages;
import io.agentgate.testing.WarDeployment;
import java.net.URI;
import org.eclipse.jetty.ee10.webapp.WebAppContext;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.toolchain.test.jupiter.WorkDir;
import org.eclipse.jetty.toolchain.test.jupiter.WorkDirExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.extension.ExtendWith;

/** The built WAR deployed into Jetty 12 (ee10) through Jetty's own WebAppContext. */
@ExtendWith(WorkDirExtension.class)
class JettyWarIT {

    @RegisterExtension
    static final ConsoleBrowser browser = ConsoleBrowser.chromium();

    public WorkDir workDir;

    @Test
    void warServesStreamingCompletionsOnJetty() throws Exception {
        Server server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);
        // As the README's WAR section tells operators: what Jetty refuses before any application sees
        // the request (request line or headers too long, malformed) is answered by the server's handler.
        ErrorHandler protocolErrors = new ErrorHandler();
        protocolErrors.setDefaultResponseMimeType("application/json");
        protocolErrors.setShowStacks(false);
        server.setErrorHandler(protocolErrors);

        WebAppContext webapp = new WebAppContext();
        webapp.setContextPath("/agentgate");
        webapp.setWar(WarDeployment.builtWar().toString());
        webapp.setTempDirectory(workDir.getEmptyPathDir().toFile());
        WarDeployment.contextParameters().forEach(webapp::setInitParameter);
        webapp.setThrowUnavailableOnStartupException(true);
        server.setHandler(webapp);
        server.start();
        try {
            URI contextRoot = URI.create("http://127.0.0.1:" + connector.getLocalPort() + "/agentgate/");
            WarDeployment.assertServesStreamingCompletions(contextRoot);
            ErrorPages.assertApplicationErrorsAreJson(contextRoot);
            ErrorPages.assertProtocolErrorsAreHtmlFree(contextRoot);
            WarDeployment.assertSlowBodiesGet408(contextRoot);
            WarDeployment.assertServesTheConsole(browser, contextRoot, "war-jetty-console");
        } finally {
            server.stop();
        }
    }
}
