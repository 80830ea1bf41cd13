package io.agentgate.session;

/** A turn was asked for while another turn of the same session key runs (here or on another instance). */
public final class SessionBusyException extends Exception {

    public SessionBusyException(String sessionKey) {
        super("Session '" + SessionKeys.redact(sessionKey) + "' is busy with another request;"
                + " wait for it to finish or send /stop.");
    }
}
