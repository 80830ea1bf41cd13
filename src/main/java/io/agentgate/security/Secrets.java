package io.agentgate.security;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one place secrets are stripped from text that leaves the process or is stored: client error
 * messages, {@code runs.error_message}, log lines, configuration echoed at start-up. It masks the
 * gateway's own configured keys wherever they appear and the well-known credential shapes:
 * {@code password=}, {@code secret=}, {@code token=}, {@code api_key=} (and their JSON and header
 * forms), bearer tokens and Authorization headers, credentials in URLs, AWS access key ids, JWTs,
 * OpenAI-style {@code sk-} keys, and long hex or base64 tokens.
 */
public final class Secrets {

    private static final String MASK = "[redacted]";
    /** Names whose value is a secret, in {@code name=value}, {@code name: value} and JSON form. */
    private static final String SECRET_NAMES = "(?:api[_-]?key|apikey|x-api-key|access[_-]?token|refresh[_-]?token"
            + "|id[_-]?token|auth[_-]?token|token|secret|client[_-]?secret|secret[_-]?key|password|passwd|pwd"
            + "|private[_-]?key|session[_-]?token|sig|signature|credentials?)";
    /** Each pattern's group 1 is kept; what follows it up to the end of the match is masked. */
    private static final List<Pattern> PATTERNS = List.of(
            Pattern.compile("(?i)(authorization\\s*[:=]\\s*)(\"?)[^\"\\r\\n,}]+"),
            Pattern.compile("(?i)(bearer\\s+)[A-Za-z0-9._~+/=-]+"),
            Pattern.compile("(?i)(\"" + SECRET_NAMES + "\"\\s*:\\s*\")[^\"]*"),
            Pattern.compile("(?i)(\\b" + SECRET_NAMES + "\\s*[=:]\\s*)(?!\\[redacted])[^\\s&\"',;}]+"),
            Pattern.compile("(\\b[a-zA-Z][a-zA-Z0-9+.-]*://)[^/@\\s:]+:[^/@\\s]+@"),
            Pattern.compile("()\\b(?:AKIA|ASIA|AGPA|AIDA|AROA|ANPA|ANVA|AIPA)[A-Z0-9]{16}\\b"),
            Pattern.compile("()\\beyJ[A-Za-z0-9_-]{5,}\\.[A-Za-z0-9_-]{5,}\\.[A-Za-z0-9_-]+"),
            Pattern.compile("()\\b(?:sk|pk|rk)-[A-Za-z0-9_-]{8,}"),
            Pattern.compile("()\\b[0-9a-fA-F]{32,}\\b"),
            // Long base64: 32+ characters with upper case, lower case and a digit (so words and paths pass).
            Pattern.compile("()(?<![A-Za-z0-9+/_-])(?=[A-Za-z0-9+/_-]*[A-Z])(?=[A-Za-z0-9+/_-]*[a-z])"
                    + "(?=[A-Za-z0-9+/_-]*[0-9])[A-Za-z0-9+/_-]{32,}={0,2}"));
    private static final Pattern URL = Pattern.compile("(?i)\\b[a-z][a-z0-9+.-]*://\\S+");

    private final List<String> knownSecrets;

    /** @param knownSecrets values that must never be echoed verbatim (configured keys); blanks ignored */
    public Secrets(List<String> knownSecrets) {
        this.knownSecrets = knownSecrets.stream().filter(s -> s != null && s.length() >= 4).toList();
    }

    /** {@code text} with every secret it holds masked. */
    public String redact(String text) {
        if (text == null) {
            return null;
        }
        String out = text;
        for (String secret : knownSecrets) {
            out = out.replace(secret, MASK);
        }
        for (Pattern p : PATTERNS) {
            out = p.matcher(out).replaceAll(m -> Matcher.quoteReplacement(m.group(1)) + MASK);
        }
        return out;
    }

    /**
     * As {@link #redact}, and every URL replaced by {@code [url]}: not secret as such, but an
     * internal address is nobody's business outside (upstream error text shown to clients).
     */
    public String redactForClient(String text) {
        String out = redact(text);
        return out == null ? null : URL.matcher(out).replaceAll("[url]");
    }

    /** A URL safe to log: user-info and query string removed, host and path kept. */
    public static String redactUrl(String url) {
        String noQuery = url.replaceAll("\\?.*$", "?…");
        return noQuery.replaceAll("//[^/@]*@", "//…@");
    }
}
