package io.agentgate.http;

import io.agentgate.api.SessionView;
import io.agentgate.api.StopResult;
import io.agentgate.chat.ChatFailure;
import io.agentgate.session.ResetReason;
import io.agentgate.session.SessionBusyException;
import io.agentgate.session.SessionKeys;
import io.agentgate.session.SessionService;
import io.agentgate.session.SessionState;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Optional;

/**
 * {@code /v1/sessions/{key}}: {@code GET} shows a session ({@code …/transcript} and {@code …/memory}
 * its history, see {@link SessionHistory}), {@code DELETE} starts it fresh, and
 * {@code POST /v1/sessions/{key}/stop} stops its running turn. The key is the path segment,
 * percent-encoded by the client.
 */
final class SessionsServlet extends HttpServlet {

    private static final String STOP_SUFFIX = "/stop";

    private final transient SessionService sessions;
    private final transient ErrorMapper errors;
    private final transient SessionHistory history;
    private final int keyMaxLength;

    SessionsServlet(SessionService sessions, ErrorMapper errors, SessionHistory history, int keyMaxLength) {
        this.sessions = sessions;
        this.errors = errors;
        this.history = history;
        this.keyMaxLength = keyMaxLength;
    }

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        try {
            if (SessionHistory.handles(req)) {
                history.get(req, resp);
                return;
            }
            respond(resp, sessions.find(key(req, false)));
        } catch (ApiException e) {
            Responses.error(resp, e.error());
        }
    }

    @Override
    protected void doDelete(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        try {
            respond(resp, sessions.resetOnRequest(key(req, false), false));
        } catch (ApiException e) {
            Responses.error(resp, e.error());
        } catch (SessionBusyException e) {
            Responses.error(resp, errors.sessionBusy(e.sessionKey()));
        } catch (ChatFailure failure) {
            // The old session's memory could not be condensed: nothing was reset.
            Responses.error(resp, errors.of(failure));
        }
    }

    @Override
    protected void doPost(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        try {
            boolean stopped = sessions.stop(key(req, true));
            Responses.json(resp, 200, new StopResult(stopped,
                    stopped ? SessionProtocol.STOPPED_TEXT : SessionProtocol.NOTHING_TO_STOP_TEXT));
        } catch (ApiException e) {
            Responses.error(resp, e.error());
        }
    }

    private void respond(HttpServletResponse resp, Optional<SessionState> state) throws IOException {
        if (state.isEmpty()) {
            Responses.error(resp, errors.notFound("No session with this key.", "session_not_found"));
            return;
        }
        SessionState s = state.get();
        Responses.json(resp, 200, new SessionView(s.sessionKey(), s.sessionId().toString(), s.suspended(),
                s.running(), s.updatedAt().toString(), s.createdAt().toString(), s.messageCount(),
                s.lastResetReason().map(ResetReason::code).orElse(null), s.promptTokens(), s.completionTokens()));
    }

    private String key(HttpServletRequest req, boolean stop) throws ApiException {
        String path = req.getPathInfo() == null ? "" : req.getPathInfo();
        if (stop) {
            if (!path.endsWith(STOP_SUFFIX)) {
                HttpError unknown = errors.notFound("Unknown endpoint; use POST /v1/sessions/{key}/stop.", "not_found");
                throw new ApiException(unknown.status(), unknown.body());
            }
            path = path.substring(0, path.length() - STOP_SUFFIX.length());
        }
        String key = path.startsWith("/") ? path.substring(1) : path;
        if (key.isEmpty() || key.length() > keyMaxLength) {
            throw ApiException.invalid("The session key in the path must be 1 to " + keyMaxLength
                    + " characters.", "session_key");
        }
        if (SessionKeys.hasControlCharacters(key)) {
            throw ApiException.invalid("The session key in the path must not contain control characters.",
                    "session_key");
        }
        return key;
    }
}
