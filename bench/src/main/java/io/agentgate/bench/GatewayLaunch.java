package io.agentgate.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The gateway's command line as {@code bench/run} resolved it from the run profile
 * ({@code java ${agentgate.jvm.args} -classpath <compile classpath> io.agentgate.standalone.StandaloneServer}),
 * one argument per line, so every start in a run is the same command. Optionally adds a JFR
 * recording per start.
 */
record GatewayLaunch(List<String> command, Path jdkHome, Path workDir, boolean jfr) {

    static GatewayLaunch read(Path commandFile, Path jdkHome, Path workDir, boolean jfr) throws IOException {
        List<String> command = Files.readAllLines(commandFile).stream().filter(s -> !s.isBlank()).toList();
        return new GatewayLaunch(command, jdkHome, workDir, jfr);
    }

    /** The command for one named start (the name labels its log and JFR file). */
    List<String> commandFor(String name) {
        List<String> c = new ArrayList<>(command);
        if (jfr) {
            Path file = workDir.resolve("jfr").resolve(name + ".jfr");
            c.add(1, "-XX:StartFlightRecording=filename=" + file + ",settings=profile,dumponexit=true");
        }
        return c;
    }

    /** The JVM flags before {@code -classpath}: what the README's run command passes. */
    String jvmArgs() {
        int cp = command.indexOf("-classpath");
        return String.join(" ", command.subList(1, cp < 0 ? command.size() : cp));
    }

    /** The gateway's classpath (the session probes compile against it). */
    String classpath() {
        int cp = command.indexOf("-classpath");
        return cp < 0 ? "" : command.get(cp + 1);
    }

    Path tool(String name) {
        return jdkHome.resolve("bin").resolve(name);
    }
}
