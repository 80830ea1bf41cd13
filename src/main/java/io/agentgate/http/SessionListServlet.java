package io.agentgate.http;

import io.agentgate.api.SessionView;
import io.agentgate.session.SessionQueries;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** {@code GET /v1/sessions}: sessions by last activity, most recent first, paged with {@code limit} and {@code cursor}. */
final class SessionListServlet extends ReadOnlyServlet {

    static final int DEFAULT_LIMIT = 50;
    static final int MAX_LIMIT = 200;

    private final transient SessionQueries sessions;

    SessionListServlet(SessionQueries sessions, ErrorMapper errors) {
        super(errors);
        this.sessions = sessions;
    }

    @Override
    protected void read(HttpServletRequest req, HttpServletResponse resp) throws ApiException, IOException {
        int limit = Paging.limit(req, DEFAULT_LIMIT, MAX_LIMIT);
        Optional<SessionQueries.SessionPosition> after = Paging.cursor(req, 2,
                parts -> new SessionQueries.SessionPosition(Instant.parse(parts.get(0)), parts.get(1)));
        List<SessionView> rows = sessions.recent(after, limit + 1);
        Responses.json(resp, 200, Paging.page(rows, limit, s -> List.of(s.updatedAt(), s.sessionKey())));
    }
}
