package io.agentgate.db;

import io.zonky.test.db.postgres.embedded.DefaultPostgresBinaryResolver;
import io.zonky.test.db.postgres.util.ArchUtils;
import io.zonky.test.db.postgres.util.LinuxUtils;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tukaani.xz.XZInputStream;

/**
 * The embedded PostgreSQL of one data directory, run with {@code pg_ctl} from zonky's binaries
 * rather than through zonky's {@code EmbeddedPostgres}, whose JVM shutdown hook, closer and
 * output-logger threads outlive a web application (and stopped the database before the turns in
 * flight were recorded). This class starts nothing but the postgres processes; whoever acquired it
 * releases it.
 *
 * <p>One postgres serves a data directory per JVM: a hot redeploy starts the new copy of the web
 * application before the old one stops, so the new one joins the running server and the last user
 * stops it. The users are counted in a system property holding only a string, so nothing of a web
 * application's class loader is referenced from outside it. A postgres found running on the data
 * directory whose owner process is gone (a gateway killed with -9) is stopped before ours starts.
 */
final class EmbeddedPostgresServer {

    /** The owner file: pid and start time of the JVM that started the running postgres. */
    private static final String OWNER_FILE = "agentgate-owner";
    private static final String REGISTRY_PREFIX = "io.agentgate.embedded-postgres:";
    private static final Logger log = LoggerFactory.getLogger(EmbeddedPostgresServer.class);

    private final Path pgData;
    private final Path binaries;
    private final int port;
    private final String registryKey;
    private boolean released;

    private EmbeddedPostgresServer(Path pgData, Path binaries, int port, String registryKey) {
        this.pgData = pgData;
        this.binaries = binaries;
        this.port = port;
        this.registryKey = registryKey;
    }

    /** Thrown while another live process runs a postgres on the data directory: try again later. */
    static final class DataDirectoryBusy extends IOException {
        DataDirectoryBusy(String message) {
            super(message);
        }
    }

    /**
     * Joins the postgres this JVM already runs on {@code pgData}, or starts one (stopping one left by
     * a dead process first) on {@code preferredPort} (0: any free port).
     *
     * @throws DataDirectoryBusy while another live process runs a postgres on it
     */
    static EmbeddedPostgresServer acquire(Path pgData, int preferredPort) throws IOException {
        Files.createDirectories(pgData);
        Path dir = pgData.toRealPath();
        String key = REGISTRY_PREFIX + dir;
        synchronized (key.intern()) {
            Path binaries = binaries();
            String registered = System.getProperty(key);
            if (registered != null) {
                Registration r = Registration.parse(registered);
                System.setProperty(key, new Registration(r.port(), r.users() + 1).toString());
                log.info("Sharing the embedded PostgreSQL on {} (port {}) with another copy of the application",
                        dir, r.port());
                return new EmbeddedPostgresServer(dir, binaries, r.port(), key);
            }
            int port = preferredPort > 0 ? preferredPort : freePort();
            EmbeddedPostgresServer server = new EmbeddedPostgresServer(dir, binaries, port, key);
            server.takeOver();
            server.start();
            System.setProperty(key, new Registration(port, 1).toString());
            return server;
        }
    }

    int port() {
        return port;
    }

    String jdbcUrl() {
        return "jdbc:postgresql://localhost:" + port + "/postgres";
    }

    /** True while the postmaster of this data directory runs. */
    boolean isRunning() {
        return postmasterPid().flatMap(ProcessHandle::of).filter(EmbeddedPostgresServer::alive).isPresent();
    }

    /** Starts the postgres again after it died (killed, crashed), on the same port. */
    void restart() throws IOException {
        synchronized (registryKey.intern()) {
            if (released || isRunning()) {
                return;
            }
            log.warn("The embedded PostgreSQL on {} is not running; starting it again", pgData);
            start();
        }
    }

    /** Leaves the server; the last user in this JVM stops it ({@code pg_ctl stop -m fast}). */
    void release() {
        synchronized (registryKey.intern()) {
            if (released) {
                return;
            }
            released = true;
            String registered = System.getProperty(registryKey);
            Registration r = registered == null ? new Registration(port, 1) : Registration.parse(registered);
            if (r.users() > 1) {
                System.setProperty(registryKey, new Registration(r.port(), r.users() - 1).toString());
                log.info("Leaving the embedded PostgreSQL on {} running for the other copy of the application", pgData);
                return;
            }
            System.clearProperty(registryKey);
            try {
                stop(pgData);
                Files.deleteIfExists(pgData.resolve(OWNER_FILE));
                log.info("Embedded PostgreSQL on {} stopped", pgData);
            } catch (IOException e) {
                log.warn("Embedded PostgreSQL on {} did not stop cleanly: {}", pgData, e.getMessage());
            }
        }
    }

    /** A postgres running on the data directory that no live process owns is stopped; a live owner's is left alone. */
    private void takeOver() throws IOException {
        Optional<ProcessHandle> postmaster = postmasterPid().flatMap(ProcessHandle::of).filter(EmbeddedPostgresServer::alive);
        if (postmaster.isEmpty()) {
            return;
        }
        Optional<ProcessHandle> owner = owner();
        if (owner.isPresent()) {
            throw new DataDirectoryBusy("the data directory " + pgData + " is in use by the PostgreSQL of process "
                    + owner.get().pid());
        }
        log.warn("A PostgreSQL (pid {}) left running on {} by a gateway that is gone; stopping it",
                postmaster.get().pid(), pgData);
        stop(pgData);
    }

    private void start() throws IOException {
        if (!Files.exists(pgData.resolve("PG_VERSION"))) {
            log.info("Initialising the embedded PostgreSQL data directory {}", pgData);
            run(List.of("initdb", "-A", "trust", "-U", "postgres", "-D", pgData.toString(), "-E", "UTF-8"), 120);
        }
        log.info("Starting embedded PostgreSQL with data in {} on port {}", pgData, port);
        ProcessHandle self = ProcessHandle.current();
        Files.writeString(pgData.resolve(OWNER_FILE), self.pid() + " "
                + self.info().startInstant().map(Instant::toEpochMilli).orElse(0L));
        run(List.of("pg_ctl", "-D", pgData.toString(), "-l", pgData.resolveSibling("postgres.log").toString(),
                "-o", "-p " + port + " -F -c listen_addresses=localhost", "-w", "-t", "60", "start"), 90);
    }

    private void stop(Path dir) throws IOException {
        run(List.of("pg_ctl", "-D", dir.toString(), "-m", "fast", "-w", "-t", "30", "stop"), 60);
    }

    /** The live process recorded as the owner of the running postgres, if it still runs. */
    private Optional<ProcessHandle> owner() {
        try {
            String[] owner = Files.readString(pgData.resolve(OWNER_FILE)).strip().split(" ");
            long startedMillis = Long.parseLong(owner[1]);
            return ProcessHandle.of(Long.parseLong(owner[0]))
                    .filter(EmbeddedPostgresServer::alive)
                    // A recycled pid is another process: its start time differs.
                    .filter(p -> p.info().startInstant().map(Instant::toEpochMilli).orElse(0L) == startedMillis);
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    private Optional<Long> postmasterPid() {
        try {
            List<String> lines = Files.readAllLines(pgData.resolve("postmaster.pid"));
            return lines.isEmpty() ? Optional.empty() : Optional.of(Long.parseLong(lines.getFirst().strip()));
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    private static boolean alive(ProcessHandle process) {
        if (!process.isAlive()) {
            return false;
        }
        try {
            // A zombie (state Z in /proc/<pid>/stat) holds nothing: it is gone.
            String stat = Files.readString(Path.of("/proc", Long.toString(process.pid()), "stat"));
            return stat.charAt(stat.lastIndexOf(')') + 2) != 'Z';
        } catch (IOException | RuntimeException e) {
            return true;
        }
    }

    /** Runs a postgres tool to its end, its output into the log directory next to the data (no logger thread). */
    private void run(List<String> command, int timeoutSeconds) throws IOException {
        List<String> full = new ArrayList<>();
        // PostgreSQL refuses to run as root; zonky's way round it: a user namespace of its own.
        if (LinuxUtils.isUnshareAvailable()) {
            full.addAll(List.of("unshare", "-U"));
        }
        full.add(binaries.resolve("bin").resolve(command.getFirst()).toString());
        full.addAll(command.subList(1, command.size()));
        Path output = pgData.resolveSibling("pg_ctl.log");
        Process process = new ProcessBuilder(full).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(output.toFile())).start();
        try {
            if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IOException(command.getFirst() + " did not finish within " + timeoutSeconds + " s; see " + output);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(command.getFirst() + " interrupted", e);
        }
        if (process.exitValue() != 0) {
            throw new IOException(command.getFirst() + " " + command.getLast() + " failed with exit status "
                    + process.exitValue() + "; see " + output + " and " + pgData.resolveSibling("postgres.log"));
        }
    }

    /** zonky's binaries for this machine, unpacked once into the temporary directory (as zonky lays them out). */
    private static Path binaries() throws IOException {
        byte[] archive;
        try (InputStream in = archive()) {
            archive = in.readAllBytes();
        }
        Path dir = Path.of(System.getProperty("java.io.tmpdir"), "embedded-pg", "PG-" + md5(archive));
        Path ready = dir.resolve(".exists");
        if (Files.exists(ready)) {
            return dir;
        }
        Path unpacking = Files.createDirectories(dir.resolveSibling(dir.getFileName() + ".unpacking-" + ProcessHandle.current().pid()));
        try (TarArchiveInputStream tar = new TarArchiveInputStream(new XZInputStream(new ByteArrayInputStream(archive)))) {
            TarArchiveEntry entry;
            while ((entry = tar.getNextEntry()) != null) {
                Path target = unpacking.resolve(entry.getName()).normalize();
                if (!target.startsWith(unpacking)) {
                    throw new IOException("archive entry outside its directory: " + entry.getName());
                }
                if (entry.isDirectory()) {
                    Files.createDirectories(target);
                } else if (entry.isSymbolicLink() || entry.isLink()) {
                    Files.createDirectories(target.getParent());
                    Files.createSymbolicLink(target, Path.of(entry.getLinkName()));
                } else {
                    Files.createDirectories(target.getParent());
                    Files.copy(tar, target, StandardCopyOption.REPLACE_EXISTING);
                    if (entry.getName().replaceFirst("^\\./", "").startsWith("bin/")) {
                        target.toFile().setExecutable(true, false);
                    }
                }
            }
        }
        Files.createFile(unpacking.resolve(".exists"));
        try {
            Files.move(unpacking, dir, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException anotherProcessWasFaster) {
            if (!Files.exists(ready)) {
                throw anotherProcessWasFaster;
            }
        }
        return dir;
    }

    /**
     * The binaries archive for this machine, looked up through this class's own loader first: in a
     * web application that is the WAR's copy (zonky's resolver searches every loader up the chain and
     * refuses two copies, which an embedding container's class path may add).
     */
    private static InputStream archive() throws IOException {
        String os = System.getProperty("os.name").toLowerCase(Locale.ROOT);
        String system = os.contains("mac") ? "Darwin" : os.contains("win") ? "Windows" : "Linux";
        String machine = ArchUtils.normalize(System.getProperty("os.arch"));
        InputStream own = EmbeddedPostgresServer.class.getClassLoader()
                .getResourceAsStream("postgres-" + system.toLowerCase(Locale.ROOT) + "-" + machine + ".txz");
        return own != null ? own : DefaultPostgresBinaryResolver.INSTANCE.getPgBinary(system, machine);
    }

    private static String md5(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    /** What the system property of a data directory holds: the port and the number of users in this JVM. */
    private record Registration(int port, int users) {
        static Registration parse(String value) {
            String[] parts = value.split(" ");
            return new Registration(Integer.parseInt(parts[0]), Integer.parseInt(parts[1]));
        }

        @Override
        public String toString() {
            return port + " " + users;
        }
    }
}
