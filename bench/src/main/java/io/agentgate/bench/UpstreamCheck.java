package io.agentgate.bench;

import java.net.URI;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the fake upstream's completion counter, so a through-gateway figure is only reported when
 * the gateway really called the upstream (a build without the upstream client answers from its
 * built-in demo model instead, which would make any comparison meaningless).
 */
record UpstreamCheck(LoadClient client, URI stats) {

    private static final Pattern COUNT = Pattern.compile("\"completions\":(\\d+)");

    long completions() {
        String text = client.getText(stats);
        Matcher m = COUNT.matcher(text == null ? "" : text);
        return m.find() ? Long.parseLong(m.group(1)) : -1;
    }

    static final String NOT_CALLED = "the gateway answered without calling the fake upstream "
            + "(AGENTGATE_UPSTREAM_BASE_URL not honoured: no upstream model client in this build)";
}
