package io.agentgate.session;

/** A turn was asked for while another turn of the same session key runs (here or on another instance). */
public final class SessionBusyException extends Exception {

    private final String sessionKey;

    public SessionBusyException(String sessionKey) {
        super("session " + SessionKeys.redact(sessionKey) + " is busy");
        this.sessionKey = sessionKey;
    }

    public String sessionKey() {
        return sessionKey;
    }
}
