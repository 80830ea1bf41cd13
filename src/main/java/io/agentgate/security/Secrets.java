package io.agentgate.security;

import java.util.List;
import java.util.regex.Pattern;

/**
 * Strips secrets from text that may be echoed (upstream error messages, exception messages):
 * bearer tokens, Authorization headers, API-key-looking tokens, credentials in URLs, and the
 * gateway's own configured keys wherever they appear.
 */
public final class Secrets {

    private static final String MASK = "[redacted]";
    private static final List<Pattern> PATTERNS = List.of(
            Pattern.compile("(?i)(authorization\\s*[:=]\\s*)(\"?)[^\"\\r\\n,}]+"),
            Pattern.compile("(?i)(bearer\\s+)[A-Za-z0-9._~+/=-]+"),
            Pattern.compile("(?i)([?&](?:api[_-]?key|key|token|access_token|auth|password|secret|sig)=)[^&\\s\"']+"),
            Pattern.compile("(?i)(\"(?:api[_-]?key|token|access_token|password|secret)\"\\s*:\\s*\")[^\"]*"),
            Pattern.compile("(\\b[a-z][a-z0-9+.-]*://)[^/@\\s:]+:[^/@\\s]+@"),
            Pattern.compile("()\\b(?:sk|pk|rk)-[A-Za-z0-9_-]{8,}"));

    private final List<String> knownSecrets;

    /** @param knownSecrets values that must never be echoed verbatim (configured keys); blanks ignored */
    public Secrets(List<String> knownSecrets) {
        this.knownSecrets = knownSecrets.stream().filter(s -> s != null && s.length() >= 4).toList();
    }

    public String redact(String text) {
        if (text == null) {
            return null;
        }
        String out = text;
        for (String secret : knownSecrets) {
            out = out.replace(secret, MASK);
        }
        for (Pattern p : PATTERNS) {
            out = p.matcher(out).replaceAll(m -> java.util.regex.Matcher.quoteReplacement(m.group(1)) + MASK);
        }
        return out;
    }
}
