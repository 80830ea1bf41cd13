-- One row per agent run (one user turn), whatever its outcome, so operators can count outcomes in
-- SQL. outcome is NULL while the run is in flight, then one of: completed, stream_interrupted,
-- upstream_error, agent_error, cancelled, timeout.
CREATE TABLE runs (
    run_id            UUID        PRIMARY KEY,
    session_key       TEXT,
    session_id        UUID,
    model             TEXT        NOT NULL,
    streaming         BOOLEAN     NOT NULL,
    started_at        TIMESTAMPTZ NOT NULL DEFAULT now(),
    ended_at          TIMESTAMPTZ,
    outcome           TEXT,
    error_message     TEXT,
    prompt_tokens     INT         NOT NULL DEFAULT 0,
    completion_tokens INT         NOT NULL DEFAULT 0
);

CREATE INDEX runs_started_at_idx ON runs (started_at);
CREATE INDEX runs_session_key_idx ON runs (session_key);
