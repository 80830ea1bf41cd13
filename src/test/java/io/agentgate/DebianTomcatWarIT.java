package io.agentgate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.agentgate.testing.ContainerProcess;
import io.agentgate.testing.WarDeployment;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.eclipse.jetty.toolchain.test.jupiter.WorkDir;
import org.eclipse.jetty.toolchain.test.jupiter.WorkDirExtension;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The WAR in Debian's {@code tomcat10} package, run the way its systemd unit runs it, with what the
 * README's "Debian Tomcat" section tells operators: the unit's environment and Debian's own start
 * script, reading {@code /etc/default/tomcat10} plus the lines of {@code docs/deploy/tomcat10/default}
 * (a JDK 21+ and a data directory); as the {@code tomcat} user inside the unit's sandbox
 * ({@code ProtectSystem=strict}, {@code PrivateTmp=yes}, its {@code ReadWritePaths=} plus those of
 * {@code docs/deploy/tomcat10/agentgate.conf}); stopped with SIGTERM as systemd does.
 *
 * <p>Paths are moved under {@code target/}: the CATALINA_BASE is a copy of {@code /var/lib/tomcat10}'s
 * layout with {@code conf/} copied from {@code /etc/tomcat10} and a free loopback port, and the
 * data directory is not {@code /var/lib/agentgate}. Without the package the test is skipped, except
 * on CI ({@code CI=true}), where {@code .ci/run} installs it and a skip would hide a regression.
 */
@ExtendWith(WorkDirExtension.class)
class DebianTomcatWarIT {

    private static final Path CATALINA_HOME = Path.of("/usr/share/tomcat10");
    private static final Path START_SCRIPT = Path.of("/usr/libexec/tomcat10/tomcat-start.sh");
    private static final Path DEFAULTS = Path.of("/etc/default/tomcat10");
    private static final Path CONF = Path.of("/etc/tomcat10");
    private static final Path UNIT = Path.of("/lib/systemd/system/tomcat10.service");
    private static final Path README_DEFAULTS = Path.of("docs/deploy/tomcat10/default");
    private static final Path README_DROP_IN = Path.of("docs/deploy/tomcat10/agentgate.conf");

    public WorkDir workDir;

    @Test
    void warInDebiansTomcat10StreamsACompletionAndStopsOnSigterm() throws Exception {
        requirePackage();
        boolean asServiceUser = "root".equals(System.getProperty("user.name"));
        if (!asServiceUser && onCi()) {
            fail("CI must run this test as root: as the tomcat user, inside the systemd unit's sandbox");
        }
        Path workPath = workDir.getEmptyPathDir().toAbsolutePath();
        // PrivateTmp= gives the service a /tmp of its own, which hides a checkout under /tmp from it.
        Path dir = workPath.startsWith("/tmp") ? Files.createTempDirectory(Path.of("/var/tmp"), "agentgate-tomcat-") : workPath;
        try {
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
            deployAndRun(dir, asServiceUser);
        } finally {
            if (!dir.equals(workPath)) {
                try (Stream<Path> files = Files.walk(dir)) {
                    files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
                }
            }
        }
    }

    private static void deployAndRun(Path dir, boolean asServiceUser) throws Exception {
        Path base = catalinaBase(dir.resolve("catalina-base"));
        Path data = Files.createDirectories(dir.resolve("agentgate-data"));
        int port = ContainerProcess.freePort();
        useLoopbackPort(base.resolve("conf/server.xml"), port);
        // The operator's deployment: cp agentgate.war /var/lib/tomcat10/webapps/
        Files.copy(WarDeployment.builtWar(), base.resolve("webapps/agentgate.war"));

        Path defaults = dir.resolve("default-tomcat10");
        Files.writeString(defaults, Files.readString(DEFAULTS) + "\n"
                + readmeDefaults(ContainerProcess.javaHome(), data));
        Path startScript = dir.resolve("tomcat-start.sh");
        String debianScript = Files.readString(START_SCRIPT);
        assertTrue(debianScript.contains(". " + DEFAULTS + "\n"), "Debian's start script reads " + DEFAULTS);
        Files.writeString(startScript, debianScript.replace(". " + DEFAULTS + "\n", ". " + defaults + "\n"));

        String unit = Files.readString(UNIT);
        Map<String, String> environment = unitEnvironment(unit);
        environment.put("CATALINA_BASE", base.toString());
        Path privateTmp = Files.createDirectories(dir.resolve("private-tmp"));
        List<String> command = new ArrayList<>();
        if (asServiceUser) {
            ContainerProcess.run(dir, Duration.ofSeconds(30), "chown", "-R", "tomcat:tomcat",
                    base.toString(), data.toString(), privateTmp.toString());
            List<Path> writable = new ArrayList<>(List.of(privateTmp));
            for (String path : readWritePaths(unit + "\n" + Files.readString(README_DROP_IN))) {
                writable.add(movedUnderTarget(path, base, data));
            }
            writable.add(base.resolve("work")); // the unit's CacheDirectory=tomcat10, /var/cache/tomcat10
            command.addAll(List.of("unshare", "--mount", "--propagation", "private", "/bin/sh", "-c",
                    systemdSandbox(writable, privateTmp), "sandbox"));
            command.addAll(List.of("setpriv", "--reuid=tomcat", "--regid=tomcat", "--init-groups"));
        } else {
            // No sandbox without root: the unit's CATALINA_TMPDIR=/tmp would be shared with other users.
            environment.put("CATALINA_TMPDIR", privateTmp.toString());
        }
        command.addAll(List.of("/bin/sh", startScript.toString()));
        ProcessBuilder tomcat = new ProcessBuilder(command).directory(dir.toFile());
        tomcat.environment().clear();
        tomcat.environment().put("PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
        tomcat.environment().putAll(environment);

        try (ContainerProcess running = ContainerProcess.start(tomcat, dir.resolve("tomcat.log"), data.resolve("pg"))) {
            URI contextRoot = URI.create("http://127.0.0.1:" + port + "/agentgate/");
            // The cause of a failed start is in the container log, logs/localhost.<date>.log.
            running.awaitReady(contextRoot, Duration.ofSeconds(120), "startup failed due to previous errors");
            long postgres = running.embeddedPostgresPid();
            String log = running.log();
            assertTrue(log.contains("Java Home:             " + ContainerProcess.javaHome()),
                    "Tomcat runs on the README's JAVA_HOME:\n" + log);

            WarDeployment.assertServesStreamingCompletions(contextRoot);

            // systemctl stop: SIGTERM to the JVM (the start script exec'd it); 143 is the unit's SuccessExitStatus.
            running.terminate();
            assertEquals(143, running.awaitExit(Duration.ofSeconds(60)), running.logTail());
            running.assertEmbeddedPostgresStopped(postgres);
            assertTrue(running.log().contains("Stopping agentgate"), "the gateway's stop is logged:\n" + running.logTail());
        }
    }

    private static void requirePackage() {
        List<Path> needed = List.of(CATALINA_HOME.resolve("bin/catalina.sh"), START_SCRIPT, DEFAULTS, CONF, UNIT);
        List<Path> missing = needed.stream().filter(p -> !Files.exists(p)).toList();
        if (missing.isEmpty()) {
            return;
        }
        String reason = "Debian's tomcat10 package is not installed (apt-get install tomcat10); missing " + missing;
        if (onCi()) {
            fail(reason + ". CI installs it in .ci/run and must not pass by skipping this test.");
        }
        Assumptions.abort(reason);
    }

    private static boolean onCi() {
        return "true".equals(System.getenv("CI"));
    }

    /** /var/lib/tomcat10's layout (conf, lib, logs, webapps, work) with conf copied from /etc/tomcat10. */
    private static Path catalinaBase(Path base) throws IOException {
        try (Stream<Path> files = Files.walk(CONF)) {
            for (Path source : (Iterable<Path>) files::iterator) {
                Path target = base.resolve("conf").resolve(CONF.relativize(source).toString());
                if (Files.isDirectory(source)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(source, target, StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        }
        for (String dir : List.of("lib", "logs", "webapps", "work")) {
            Files.createDirectories(base.resolve(dir));
        }
        return base;
    }

    private static void useLoopbackPort(Path serverXml, int port) throws IOException {
        String xml = Files.readString(serverXml);
        String connector = "<Connector port=\"8080\" protocol=\"HTTP/1.1\"";
        assertTrue(xml.contains(connector), "Debian's server.xml has the HTTP connector on 8080");
        Files.writeString(serverXml, xml.replace(connector,
                "<Connector port=\"" + port + "\" address=\"127.0.0.1\" protocol=\"HTTP/1.1\""));
    }

    /** docs/deploy/tomcat10/default with this machine's JDK and a data directory under target/. */
    private static String readmeDefaults(Path javaHome, Path data) throws IOException {
        String lines = Files.readString(README_DEFAULTS);
        Map<String, String> values = Map.of("JAVA_HOME", javaHome.toString(), "AGENTGATE_DATA_DIR", data.toString());
        for (Map.Entry<String, String> value : values.entrySet()) {
            Matcher m = Pattern.compile("(?m)^((?:export )?" + value.getKey() + "=).*$").matcher(lines);
            assertTrue(m.find(), README_DEFAULTS + " sets " + value.getKey());
            lines = m.replaceFirst(Matcher.quoteReplacement(m.group(1) + value.getValue()));
        }
        return lines;
    }

    private static Map<String, String> unitEnvironment(String unit) {
        Map<String, String> environment = new LinkedHashMap<>();
        Matcher m = Pattern.compile("(?m)^Environment=\"([A-Z_]+)=(.*)\"$").matcher(unit);
        while (m.find()) {
            environment.put(m.group(1), m.group(2));
        }
        assertTrue(environment.containsKey("CATALINA_HOME") && environment.containsKey("CATALINA_TMPDIR"),
                "the unit's environment: " + environment);
        return environment;
    }

    private static List<String> readWritePaths(String unitAndDropIns) {
        List<String> paths = new ArrayList<>();
        Matcher m = Pattern.compile("(?m)^ReadWritePaths=(.+)$").matcher(unitAndDropIns);
        while (m.find()) {
            paths.addAll(List.of(m.group(1).trim().split("\\s+")));
        }
        return paths;
    }

    /** The unit's and the README's system paths, as this test's CATALINA_BASE and data directory. */
    private static Path movedUnderTarget(String path, Path base, Path data) {
        Map<String, Path> moved = new LinkedHashMap<>();
        moved.put("/etc/tomcat10/", base.resolve("conf"));
        moved.put("/var/lib/tomcat10/", base);
        moved.put("/var/log/tomcat10/", base.resolve("logs"));
        moved.put("/var/lib/agentgate/", data);
        String dir = path.endsWith("/") ? path : path + "/";
        for (Map.Entry<String, Path> entry : moved.entrySet()) {
            if (dir.startsWith(entry.getKey())) {
                return entry.getValue().resolve(dir.substring(entry.getKey().length()));
            }
        }
        throw new AssertionError("a ReadWritePaths= entry this test does not know where to put: " + path);
    }

    /**
     * What systemd sets up for the unit, in a private mount namespace: ProtectSystem=strict (every
     * file system read-only but the API ones) with the ReadWritePaths= writable, and PrivateTmp=yes
     * (an empty /tmp of its own); then the command given as arguments.
     */
    private static String systemdSandbox(List<Path> writable, Path privateTmp) throws IOException {
        StringBuilder script = new StringBuilder("set -e\n");
        for (Path path : writable) {
            Files.createDirectories(path);
            script.append("mount --bind ").append(quoted(path)).append(' ').append(quoted(path)).append('\n');
        }
        for (String mountPoint : readOnlyMountPoints()) {
            script.append("mount -o remount,bind,ro ").append(quoted(Path.of(mountPoint))).append('\n');
        }
        script.append("mount --bind ").append(quoted(privateTmp)).append(" /tmp\n");
        script.append("exec \"$@\"\n");
        return script.toString();
    }

    /** Every mount but the API file systems (and /mnt, /run: nothing of Tomcat's lives there). */
    private static List<String> readOnlyMountPoints() throws IOException {
        List<String> points = new ArrayList<>();
        for (String line : Files.readAllLines(Path.of("/proc/self/mountinfo"))) {
            String point = line.split(" ")[4];
            boolean api = Stream.of("/proc", "/sys", "/dev", "/run", "/mnt")
                    .anyMatch(p -> point.equals(p) || point.startsWith(p + "/"));
            if (!api && !point.contains("\\") && !points.contains(point)) {
                points.add(point);
            }
        }
        assertFalse(points.isEmpty(), "mount points to make read-only");
        return points;
    }

    private static String quoted(Path path) {
        return "'" + path.toString().replace("'", "'\\''") + "'";
    }
}
