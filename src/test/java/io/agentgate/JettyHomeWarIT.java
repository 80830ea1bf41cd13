package io.agentgate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agentgate.testing.ContainerProcess;
import io.agentgate.testing.WarDeployment;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;
import org.eclipse.jetty.toolchain.test.jupiter.WorkDir;
import org.eclipse.jetty.toolchain.test.jupiter.WorkDirExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The WAR in a stock {@code jetty-home} 12.1 distribution (unpacked from Maven Central by the pom),
 * set up and started exactly as the README's "Jetty base" steps say: a base made by
 * {@code start.jar --add-modules}, the WAR and {@code docs/deploy/jetty/agentgate.xml} in its
 * {@code webapps/}, {@code java -jar start.jar}, and {@code start.jar --stop}.
 */
@ExtendWith(WorkDirExtension.class)
class JettyHomeWarIT {

    /** The modules the README's Jetty base enables. */
    static final String MODULES = "ee10-deploy,http,shutdown";

    public WorkDir workDir;

    @Test
    void warInAJettyBaseStreamsACompletionAndStopsWithItsDatabase() throws Exception {
        Path jettyHome = Path.of(System.getProperty("agentgate.jetty.home", "target/distributions/missing"));
        Path startJar = jettyHome.resolve("start.jar");
        assertTrue(Files.isRegularFile(startJar), "jetty-home unpacked by the pom at " + jettyHome);
        String java = ContainerProcess.javaHome().resolve("bin/java").toString();
        Path base = Files.createDirectories(workDir.getEmptyPathDir().resolve("jetty-base"));

        ContainerProcess.run(base, Duration.ofSeconds(60), java, "-jar", startJar.toString(), "--add-modules=" + MODULES);
        Files.copy(WarDeployment.builtWar(), base.resolve("webapps/agentgate.war"));
        Files.copy(Path.of("docs/deploy/jetty/agentgate.xml"), base.resolve("webapps/agentgate.xml"));

        int httpPort = ContainerProcess.freePort();
        int stopPort = ContainerProcess.freePort();
        String stopKey = UUID.randomUUID().toString();
        ProcessBuilder jetty = new ProcessBuilder(java, "-jar", startJar.toString(),
                "jetty.http.host=127.0.0.1", "jetty.http.port=" + httpPort,
                "jetty.shutdown.port=" + stopPort, "jetty.shutdown.key=" + stopKey)
                .directory(base.toFile());
        // The context XML puts the embedded PostgreSQL's data in the base: ${jetty.base}/agentgate-data.
        try (ContainerProcess running = ContainerProcess.start(jetty, base.resolve("jetty.log"),
                base.resolve("agentgate-data/pg"))) {
            URI contextRoot = URI.create("http://127.0.0.1:" + httpPort + "/agentgate/");
            running.awaitReady(contextRoot, Duration.ofSeconds(90), "Failed startup of context");
            long postgres = running.embeddedPostgresPid();

            WarDeployment.assertServesStreamingCompletions(contextRoot);

            ContainerProcess.run(base, Duration.ofSeconds(60), java, "-jar", startJar.toString(),
                    "--stop", "stop.port=" + stopPort, "stop.key=" + stopKey, "stop.wait=30");
            assertEquals(0, running.awaitExit(Duration.ofSeconds(30)), running.logTail());
            running.assertEmbeddedPostgresStopped(postgres);
            assertTrue(running.log().contains("Stopping agentgate"), running.logTail());
        }
    }
}
