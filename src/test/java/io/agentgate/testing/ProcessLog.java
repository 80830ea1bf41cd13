package io.agentgate.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** The output file of a child process a test started (a gateway JVM, a container), read for failure messages. */
record ProcessLog(Path file) {

    /** Its whole output so far. */
    String text() {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    /** Its last {@code lines} lines. */
    String tail(int lines) {
        List<String> all = text().lines().toList();
        return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    }
}
