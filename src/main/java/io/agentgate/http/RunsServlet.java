package io.agentgate.http;

import io.agentgate.api.RunView;
import io.agentgate.runs.RunQueries;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * {@code GET /v1/runs}: the runs table newest first, filtered by {@code outcome} and
 * {@code session_key}, paged with {@code limit} and {@code cursor}.
 */
final class RunsServlet extends ReadOnlyServlet {

    static final int DEFAULT_LIMIT = 50;
    static final int MAX_LIMIT = 200;

    private final transient RunQueries runs;
    private final int keyMaxLength;

    RunsServlet(RunQueries runs, ErrorMapper errors, int keyMaxLength) {
        super(errors);
        this.runs = runs;
        this.keyMaxLength = keyMaxLength;
    }

    @Override
    protected void read(HttpServletRequest req, HttpServletResponse resp) throws ApiException, IOException {
        int limit = Paging.limit(req, DEFAULT_LIMIT, MAX_LIMIT);
        Optional<String> outcome = Paging.parameter(req, "outcome");
        if (outcome.isPresent() && !RunQueries.outcomeFilters().contains(outcome.get())) {
            throw ApiException.invalid("outcome must be one of " + String.join(", ", RunQueries.outcomeFilters())
                    + ".", "outcome");
        }
        Optional<String> sessionKey = Paging.parameter(req, "session_key");
        if (sessionKey.isPresent() && sessionKey.get().length() > keyMaxLength) {
            throw ApiException.invalid("session_key must be at most " + keyMaxLength + " characters.",
                    "session_key");
        }
        Optional<RunQueries.Position> after = Paging.cursor(req, 2,
                parts -> new RunQueries.Position(Instant.parse(parts.get(0)), UUID.fromString(parts.get(1))));
        List<RunView> rows = runs.newest(new RunQueries.Filter(outcome, sessionKey), after, limit + 1);
        Responses.json(resp, 200, Paging.page(rows, limit, run -> List.of(run.startedAt(), run.runId())));
    }
}
