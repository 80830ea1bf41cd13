package io.agentgate.bench;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How the fake upstream should answer, read from the last user message ({@code tokens=N
 * delay_ms=M}). It rides in the prompt because the gateway forwards the conversation but not
 * custom headers, so the same request body drives the direct and the through-gateway path.
 */
record Directive(int tokens, long delayMs) {

    private static final Pattern TOKENS = Pattern.compile("tokens=(\\d+)");
    private static final Pattern DELAY = Pattern.compile("delay_ms=(\\d+)");

    static Directive parse(String prompt, Directive defaults) {
        return new Directive(
                (int) number(TOKENS, prompt, defaults.tokens()),
                number(DELAY, prompt, defaults.delayMs()));
    }

    String prompt() {
        return "bench tokens=" + tokens + " delay_ms=" + delayMs;
    }

    private static long number(Pattern p, String text, long fallback) {
        Matcher m = p.matcher(text == null ? "" : text);
        return m.find() ? Long.parseLong(m.group(1)) : fallback;
    }
}
