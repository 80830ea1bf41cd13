package io.agentgate;

import io.agentgate.testing.ConsoleBrowser;
import io.agentgate.testing.ErrorPages;
import io.agentgate.testing.WarDeployment;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.catalina.Context;
import org.apache.catalina.LifecycleState;
import org.apache.catalina.core.StandardHost;
import org.apache.catalina.startup.Tomcat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The built WAR deployed into Tomcat 10.1 (embedded), as an operator's Tomcat would run it. */
class TomcatWarIT {

    @RegisterExtension
    static final ConsoleBrowser browser = ConsoleBrowser.chromium();

    @TempDir
    Path baseDir;

    @Test
    void warServesStreamingCompletionsOnTomcat() throws Exception {
        Tomcat tomcat = new Tomcat();
        tomcat.setBaseDir(baseDir.toString());
        tomcat.setHostname("127.0.0.1");
        tomcat.setPort(0);
        tomcat.getConnector().setProperty("address", "127.0.0.1");
        Path appBase = Files.createDirectories(baseDir.resolve("webapps"));
        tomcat.getHost().setAppBase(appBase.toString());
        // As the README's WAR section tells operators: what Tomcat refuses before any application sees
        // the request (request line or headers too long, malformed) is answered by the Host's valve.
        ((StandardHost) tomcat.getHost()).setErrorReportValveClass("org.apache.catalina.valves.JsonErrorReportValve");
        Context context = tomcat.addWebapp("/agentgate", WarDeployment.builtWar().toString());
        WarDeployment.contextParameters().forEach(context::addParameter);
        tomcat.start();
        try {
            assertEquals(LifecycleState.STARTED, context.getState(), "the webapp started");
            int port = tomcat.getConnector().getLocalPort();
            URI contextRoot = URI.create("http://127.0.0.1:" + port + "/agentgate/");
            WarDeployment.assertServesStreamingCompletions(contextRoot);
            ErrorPages.assertApplicationErrorsAreJson(contextRoot);
            ErrorPages.assertProtocolErrorsAreHtmlFree(contextRoot);
            WarDeployment.assertSlowBodiesGet408(contextRoot);
            WarDeployment.assertServesTheConsole(browser, contextRoot, "war-tomcat-console");
        } finally {
            tomcat.stop();
            tomcat.destroy();
        }
    }
}
