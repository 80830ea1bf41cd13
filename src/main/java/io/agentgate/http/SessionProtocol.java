package io.agentgate.http;

import io.agentgate.config.SessionSettings;
import io.agentgate.session.ResetReason;
import io.agentgate.session.SessionKeys;
import io.agentgate.session.SessionStart;
import io.agentgate.turn.TurnOpening;
import jakarta.servlet.http.HttpServletRequest;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/** What a client sees of sessions: the header names, and every text the gateway answers with. */
public final class SessionProtocol {

    /** The request header that names a server-side conversation; every answer to it repeats it. */
    public static final String KEY_HEADER = "X-Session-Key";
    /** The session id the request ran in. */
    public static final String ID_HEADER = "X-Session-Id";
    /** Present when this request started a fresh session: why ({@link ResetReason#code()}). */
    public static final String RESET_HEADER = "X-Session-Reset";

    public static final String STOPPED_TEXT = "Force-stopped. Your next message will start a fresh session.";
    public static final String NOTHING_TO_STOP_TEXT = "No active task to stop.";
    public static final String RESET_TEXT = "Started a fresh session.";
    static final String MISSING_NEW_INPUT_TEXT =
            "With " + KEY_HEADER + " the request must end with the new user message(s) or tool results.";

    private SessionProtocol() {}

    /** The validated {@code X-Session-Key}, or empty for a stateless request. */
    static Optional<String> sessionKey(HttpServletRequest request, int maxLength) throws ApiException {
        String value = request.getHeader(KEY_HEADER);
        if (value == null) {
            return Optional.empty();
        }
        String key = SessionKeys.fromHeader(value).orElseThrow(() -> ApiException.invalid(
                KEY_HEADER + " must be UTF-8.", KEY_HEADER));
        if (key.isBlank()) {
            throw ApiException.invalid(KEY_HEADER + " must not be empty.", KEY_HEADER);
        }
        if (key.length() > maxLength) {
            throw ApiException.invalid(KEY_HEADER + " is longer than " + maxLength + " characters.", KEY_HEADER);
        }
        if (SessionKeys.hasControlCharacters(key)) {
            throw ApiException.invalid(KEY_HEADER + " must not contain control characters.", KEY_HEADER);
        }
        return Optional.of(key);
    }

    /** Headers every response of a session carries: key, current id and, on a reset, its reason. */
    static Map<String, String> headers(String key, Optional<UUID> sessionId, Optional<ResetReason> reset) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put(KEY_HEADER, SessionKeys.toHeader(key));
        sessionId.ifPresent(id -> headers.put(ID_HEADER, id.toString()));
        reset.ifPresent(r -> headers.put(RESET_HEADER, r.code()));
        return headers;
    }

    /** The headers of a turn's response (none for a stateless request). */
    static Map<String, String> headers(TurnOpening opening) {
        return opening.session()
                .map(s -> headers(s.key(), Optional.of(s.sessionId()), s.performedReset()))
                .orElse(Map.of());
    }

    /** What the client is told before the agent's answer: the reset notice, if any. */
    static String notice(TurnOpening opening, SessionSettings settings) {
        return opening.session().flatMap(TurnOpening.Session::announcedReset)
                .map(reason -> resetNotice(reason, settings)).orElse("");
    }

    /** A session command's answer, shown as the assistant's text. */
    static String commandText(SessionStart command) {
        return switch (command) {
            case SessionStart.Stopped stop -> stop.stopped() ? STOPPED_TEXT : NOTHING_TO_STOP_TEXT;
            case SessionStart.Reset reset -> RESET_TEXT;
            default -> throw new IllegalArgumentException("not a command: " + command);
        };
    }

    /** The headers of a session command's answer. */
    static Map<String, String> commandHeaders(SessionStart command) {
        return switch (command) {
            case SessionStart.Stopped stop -> headers(stop.key(), stop.sessionId(), Optional.empty());
            case SessionStart.Reset reset -> headers(reset.key(), Optional.of(reset.sessionId()),
                    Optional.of(ResetReason.MANUAL));
            default -> throw new IllegalArgumentException("not a command: " + command);
        };
    }

    /** What the client is shown first on the response that performed a reset. */
    static String resetNotice(ResetReason reason, SessionSettings settings) {
        String why = switch (reason) {
            case SUSPENDED -> "the previous session was stopped or interrupted";
            case IDLE -> "the previous session was idle for more than " + idleText(settings);
            case DAILY -> "daily reset at " + settings.dailyResetHour().orElse(0) + ":00 (" + settings.zone() + ")";
            case MANUAL -> "started on request";
        };
        return "[Session reset: " + why + ". This is a fresh session.]\n\n";
    }

    private static String idleText(SessionSettings settings) {
        long minutes = settings.idleTimeout().toMinutes();
        return minutes >= 120 && minutes % 60 == 0 ? minutes / 60 + " hours" : Math.max(minutes, 1) + " minutes";
    }
}
