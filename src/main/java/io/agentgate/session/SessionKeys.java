package io.agentgate.session;

/** Session keys are opaque client input; logs and messages show their first characters only. */
public final class SessionKeys {

    private SessionKeys() {}

    /** A key may be a user identifier: logs and messages show its first characters only. */
    public static String redact(String key) {
        return key.length() <= 6 ? key : key.substring(0, 6) + "…";
    }
}
