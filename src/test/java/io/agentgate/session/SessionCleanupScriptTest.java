package io.agentgate.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** db/cleanup.sql runs as documented, through psql (skipped where psql is not installed). */
class SessionCleanupScriptTest extends OneGatewayTest {

    @Test
    void theDbaScriptRunsThroughPsql() throws Exception {
        Path psql = Path.of("/usr/bin/psql");
        assumeTrue(Files.isExecutable(psql), "psql not installed");
        SessionCalls.send(gateway, "k", "hello");
        URI jdbc = URI.create(gateway.config().dbUrl().orElseThrow().substring("jdbc:".length()));
        String url = "postgresql://postgres@" + jdbc.getHost() + ":" + jdbc.getPort() + jdbc.getPath();

        Process p = new ProcessBuilder(psql.toString(), url, "-X", "-A", "-t", "-v", "ON_ERROR_STOP=1",
                "-v", "keep=1 day", "-f", new File("db/cleanup.sql").getAbsolutePath())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), out);
        assertEquals("0|0|0", out.strip(), out);
    }
}
