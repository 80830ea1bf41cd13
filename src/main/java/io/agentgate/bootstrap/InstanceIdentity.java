package io.agentgate.bootstrap;

import io.agentgate.config.GatewayConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;

/**
 * This gateway instance's identity among the replicas on one database ({@code AGENTGATE_INSTANCE_ID}):
 * leases, runs and the instances table record it, and a restarted instance recognises by it the
 * turns that were in flight on itself. It must be stable across restarts and unique among running
 * instances. Default: with the embedded database, an id generated once and kept in
 * {@code <AGENTGATE_DATA_DIR>/instance-id} (one data directory is one instance); with an external
 * database, {@code <host name>:<AGENTGATE_PORT>}, or with port 0 (any free port, so nothing stable)
 * {@code <host name>:<pid>-<random>}.
 */
final class InstanceIdentity {

    static final String FILE_NAME = "instance-id";

    private InstanceIdentity() {}

    static String of(GatewayConfig config) {
        if (config.instanceId().isPresent()) {
            return config.instanceId().get();
        }
        if (config.usesEmbeddedDatabase()) {
            return keptIn(config.dataDir());
        }
        if (config.port() != 0) {
            return hostName() + ":" + config.port();
        }
        return hostName() + ":" + ProcessHandle.current().pid() + "-" + randomHex();
    }

    private static String keptIn(Path dataDir) {
        Path file = dataDir.resolve(FILE_NAME);
        try {
            Files.createDirectories(dataDir);
            try {
                Files.writeString(file, hostName() + "-" + randomHex() + "\n", StandardCharsets.UTF_8,
                        java.nio.file.StandardOpenOption.CREATE_NEW, java.nio.file.StandardOpenOption.WRITE);
            } catch (FileAlreadyExistsException kept) {
                // the usual case: the id of an earlier start
            }
            String id = Files.readString(file, StandardCharsets.UTF_8).trim();
            if (!GatewayConfig.INSTANCE_ID.matcher(id).matches()) {
                throw new IllegalArgumentException(file + " does not hold a valid instance id ('" + id
                        + "'); delete it or set AGENTGATE_INSTANCE_ID");
            }
            return id;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot keep the instance id in " + file, e);
        }
    }

    /** The host name, cut to what an instance id may hold. */
    private static String hostName() {
        String name;
        try {
            name = InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            name = "localhost";
        }
        String clean = name.replaceAll("[^A-Za-z0-9._-]", "-").replaceAll("^[^A-Za-z0-9]+", "");
        clean = clean.isEmpty() ? "host" : clean;
        return clean.length() > 80 ? clean.substring(0, 80) : clean;
    }

    private static String randomHex() {
        byte[] bytes = new byte[4];
        ThreadLocalRandom.current().nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }
}
