package io.agentgate;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The README's Operating section shows the files and steps the distribution tests use
 * ({@link JettyHomeWarIT}, {@link DebianTomcatWarIT}), so what it tells operators is what was run.
 */
class OperatingDocsTest {

    @ParameterizedTest
    @ValueSource(strings = {"docs/deploy/jetty/agentgate.xml", "docs/deploy/tomcat10/default",
            "docs/deploy/tomcat10/agentgate.conf", "docs/deploy/nginx/agentgate.conf"})
    void readmeShowsTheDeployFileVerbatim(String file) throws Exception {
        String content = Files.readString(Path.of(file));
        assertTrue(readme().contains("\n" + content + "```\n"),
                "README.md shows " + file + " exactly, in a code block of its own");
    }

    @Test
    void readmeSetsUpTheJettyBaseTheTestUses() throws Exception {
        Matcher version = Pattern.compile("<jetty.home.version>(.+)</jetty.home.version>")
                .matcher(Files.readString(Path.of("pom.xml")));
        assertTrue(version.find());
        String readme = readme();
        assertTrue(readme.contains("/jetty-home-" + version.group(1) + ".tar.gz"),
                "the README downloads the jetty-home the test runs, " + version.group(1));
        assertTrue(readme.contains("java -jar $JETTY_HOME/start.jar --add-modules=" + JettyHomeWarIT.MODULES + "\n"),
                "the README enables the modules the test enables");
    }

    private static String readme() throws Exception {
        return Files.readString(Path.of("README.md"));
    }
}
