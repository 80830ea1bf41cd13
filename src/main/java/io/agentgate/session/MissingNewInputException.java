package io.agentgate.session;

/** A session request whose messages do not end with new user input: there is nothing to answer. */
public final class MissingNewInputException extends Exception {

    public MissingNewInputException() {
        super("the request's messages do not end with user input");
    }
}
