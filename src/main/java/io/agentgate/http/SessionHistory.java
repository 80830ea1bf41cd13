package io.agentgate.http;

import io.agentgate.api.ApiError;
import io.agentgate.api.MemoryNote;
import io.agentgate.api.TranscriptMessage;
import io.agentgate.session.SessionQueries;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code GET /v1/sessions/{key}/transcript} (the current session id's stored messages, oldest
 * first) and {@code GET /v1/sessions/{key}/memory} (the key's memory notes, newest first), both
 * paged with {@code limit} and {@code cursor}. Answered for {@link SessionsServlet}, which owns the
 * {@code /v1/sessions/*} mapping.
 */
final class SessionHistory {

    private static final Pattern PATH = Pattern.compile("/(.+)/(transcript|memory)", Pattern.DOTALL);
    static final int DEFAULT_LIMIT = 100;
    static final int MAX_LIMIT = 500;

    private final SessionQueries sessions;
    private final ErrorMapper errors;
    private final int keyMaxLength;

    SessionHistory(SessionQueries sessions, ErrorMapper errors, int keyMaxLength) {
        this.sessions = sessions;
        this.errors = errors;
        this.keyMaxLength = keyMaxLength;
    }

    /** Whether this GET is for a transcript or memory rather than the session itself. */
    static boolean handles(HttpServletRequest req) {
        return req.getPathInfo() != null && PATH.matcher(req.getPathInfo()).matches();
    }

    void get(HttpServletRequest req, HttpServletResponse resp) throws ApiException, IOException {
        Matcher path = PATH.matcher(req.getPathInfo());
        if (!path.matches()) {
            throw new IllegalStateException("not a session history path: " + req.getPathInfo());
        }
        String key = path.group(1);
        if (key.length() > keyMaxLength) {
            throw ApiException.invalid("The session key in the path must be 1 to " + keyMaxLength
                    + " characters.", "session_key");
        }
        int limit = Paging.limit(req, DEFAULT_LIMIT, MAX_LIMIT);
        if (path.group(2).equals("transcript")) {
            transcript(resp, key, limit, Paging.cursor(req, 2, parts ->
                    new Position(UUID.fromString(parts.get(0)), Long.parseLong(parts.get(1)))));
        } else {
            long before = Paging.cursor(req, 1, parts -> Long.parseLong(parts.get(0))).orElse(Long.MAX_VALUE);
            Optional<List<MemoryNote>> notes = sessions.memory(key, before, limit + 1);
            Responses.json(resp, 200, Paging.page(notes.orElseThrow(this::notFound), limit,
                    note -> List.of(Long.toString(note.memoryId()))));
        }
    }

    private record Position(UUID sessionId, long messageId) {}

    private void transcript(HttpServletResponse resp, String key, int limit, Optional<Position> after)
            throws ApiException, IOException {
        SessionQueries.Transcript transcript;
        try {
            transcript = sessions.transcript(key, after.map(Position::sessionId),
                    after.map(Position::messageId).orElse(0L), limit + 1).orElseThrow(this::notFound);
        } catch (SessionQueries.StaleCursorException e) {
            throw new ApiException(400, ApiError.of(e.getMessage(), "invalid_request_error", Paging.CURSOR,
                    "stale_cursor"));
        }
        String sessionId = transcript.sessionId().toString();
        Responses.json(resp, 200, Paging.page(transcript.messages(), limit,
                (TranscriptMessage m) -> List.of(sessionId, Long.toString(m.messageId()))));
    }

    private ApiException notFound() {
        HttpError notFound = errors.notFound("No session with this key.", "session_not_found");
        return new ApiException(notFound.status(), notFound.body());
    }
}
