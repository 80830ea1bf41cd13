package io.agentgate.bootstrap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agentgate.config.ConfigLoader;
import io.agentgate.config.GatewayConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The default instance id: stable where the instance is (a data directory, a host and port), unique otherwise. */
class InstanceIdentityTest {

    @TempDir
    Path dataDir;

    private static GatewayConfig config(String... settings) {
        Map<String, String> all = new HashMap<>();
        for (int i = 0; i + 1 < settings.length; i += 2) {
            all.put(settings[i], settings[i + 1]);
        }
        return ConfigLoader.load(all::get);
    }

    @Test
    void anExplicitIdWins() {
        assertEquals("gw-a", InstanceIdentity.of(config("AGENTGATE_INSTANCE_ID", "gw-a",
                "AGENTGATE_DATA_DIR", dataDir.toString())));
        assertTrue(Files.notExists(dataDir.resolve(InstanceIdentity.FILE_NAME)), "nothing kept when it is set");
    }

    @Test
    void withTheEmbeddedDatabaseTheIdIsKeptInTheDataDirectory() throws Exception {
        String first = InstanceIdentity.of(config("AGENTGATE_DATA_DIR", dataDir.toString()));
        assertTrue(GatewayConfig.INSTANCE_ID.matcher(first).matches(), first);
        assertEquals(first, Files.readString(dataDir.resolve(InstanceIdentity.FILE_NAME)).trim());
        assertEquals(first, InstanceIdentity.of(config("AGENTGATE_DATA_DIR", dataDir.toString())), "stable across starts");

        Files.writeString(dataDir.resolve(InstanceIdentity.FILE_NAME), "not valid!\n");
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> InstanceIdentity.of(config("AGENTGATE_DATA_DIR", dataDir.toString())));
        assertTrue(refused.getMessage().contains("AGENTGATE_INSTANCE_ID"), refused.getMessage());
    }

    @Test
    void withAnExternalDatabaseItIsHostAndPortOrUniqueOnAnyFreePort() {
        String external = "jdbc:postgresql://db.example/agentgate";
        String onPort = InstanceIdentity.of(config("AGENTGATE_DB_URL", external, "AGENTGATE_PORT", "8642"));
        assertTrue(onPort.endsWith(":8642"), onPort);
        assertEquals(onPort, InstanceIdentity.of(config("AGENTGATE_DB_URL", external, "AGENTGATE_PORT", "8642")));

        String anyPort = InstanceIdentity.of(config("AGENTGATE_DB_URL", external, "AGENTGATE_PORT", "0"));
        assertTrue(GatewayConfig.INSTANCE_ID.matcher(anyPort).matches(), anyPort);
        assertNotEquals(anyPort, InstanceIdentity.of(config("AGENTGATE_DB_URL", external, "AGENTGATE_PORT", "0")),
                "two gateways on free ports in one JVM never share an id");
    }
}
