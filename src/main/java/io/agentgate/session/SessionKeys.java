package io.agentgate.session;

/** Session keys are opaque client input: validated for length only, and truncated in logs. */
public final class SessionKeys {

    /** The request header that names a server-side conversation. */
    public static final String HEADER = "X-Session-Key";

    private SessionKeys() {}

    /** The key as given, or an explanation of why it is refused. */
    public static String validate(String key, int maxLength) {
        if (key.isBlank()) {
            throw new IllegalArgumentException(HEADER + " must not be empty.");
        }
        if (key.length() > maxLength) {
            throw new IllegalArgumentException(HEADER + " is longer than " + maxLength + " characters.");
        }
        return key;
    }

    /** A key may be a user identifier: logs and messages show its first characters only. */
    public static String redact(String key) {
        return key.length() <= 6 ? key : key.substring(0, 6) + "…";
    }
}
