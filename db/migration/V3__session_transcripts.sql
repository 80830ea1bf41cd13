-- Durable sessions (issue 6): reset bookkeeping, token counters, the running lease that serialises
-- turns of one session key across gateway instances, transcripts, memory notes, DBA cleanup.

ALTER TABLE sessions
    -- Why the current session_id was started (NULL: never reset). Drives the agent's system note.
    ADD COLUMN last_reset_reason  TEXT CHECK (last_reset_reason IN ('suspended', 'idle', 'daily', 'manual')),
    -- Whether the session replaced by the last reset had any transcript.
    ADD COLUMN reset_had_activity BOOLEAN NOT NULL DEFAULT FALSE,
    -- Token usage of the current session_id (back to 0 on reset).
    ADD COLUMN prompt_tokens      BIGINT  NOT NULL DEFAULT 0,
    ADD COLUMN completion_tokens  BIGINT  NOT NULL DEFAULT 0,
    -- The lease: set with a conditional UPDATE when a turn starts, extended by the owning
    -- instance's heartbeat, cleared when the turn ends. A lease past lease_until is stale
    -- (its instance crashed) and may be taken over.
    ADD COLUMN running_run_id     UUID,
    ADD COLUMN running_owner      TEXT,
    ADD COLUMN lease_until        TIMESTAMPTZ,
    -- The run a /stop took the lease from; its instance sees it at the next heartbeat and interrupts it.
    ADD COLUMN stopped_run_id     UUID;

CREATE INDEX sessions_running_run_id_idx ON sessions (running_run_id) WHERE running_run_id IS NOT NULL;
CREATE INDEX sessions_stopped_run_id_idx ON sessions (stopped_run_id) WHERE stopped_run_id IS NOT NULL;

-- The transcript of every session_id. No foreign key to sessions: the row's session_id moves on at
-- each reset while old transcripts stay until a DBA's cleanup deletes them.
CREATE TABLE session_messages (
    message_id   BIGINT      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    session_id   UUID        NOT NULL,
    role         TEXT        NOT NULL,
    content      TEXT,
    tool_calls   JSONB,
    tool_call_id TEXT,
    created_at   TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX session_messages_session_idx ON session_messages (session_id, message_id);
-- agentgate_cleanup deletes by age.
CREATE INDEX session_messages_created_at_idx ON session_messages (created_at);

-- Durable notes condensed from a session's transcript before it was reset, one row per flushed
-- session_id (the unique key makes a second flush of the same session impossible).
CREATE TABLE session_memory (
    memory_id         BIGINT      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    session_key       TEXT        NOT NULL,
    source_session_id UUID        NOT NULL UNIQUE,
    notes             TEXT        NOT NULL,
    created_at        TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX session_memory_key_idx ON session_memory (session_key, memory_id);

-- DBA-managed cleanup: the gateway never deletes history itself. Deletes transcript messages and
-- run records older than the given age; with delete_idle_sessions also the session rows (and their
-- memory notes) untouched for that long. A deleted session simply starts fresh on its next request.
-- Returns what it deleted. Schedule it (cron + psql, or pg_cron): see docs/sessions.md and db/cleanup.sql.
CREATE OR REPLACE FUNCTION agentgate_cleanup(older_than INTERVAL, delete_idle_sessions BOOLEAN DEFAULT FALSE)
RETURNS TABLE (deleted_messages BIGINT, deleted_runs BIGINT, deleted_sessions BIGINT)
LANGUAGE plpgsql AS $$
DECLARE
    cutoff TIMESTAMPTZ := now() - older_than;
BEGIN
    IF older_than IS NULL OR older_than <= INTERVAL '0' THEN
        RAISE EXCEPTION 'agentgate_cleanup: older_than must be a positive interval, got %', older_than;
    END IF;
    DELETE FROM session_messages WHERE created_at < cutoff;
    GET DIAGNOSTICS deleted_messages = ROW_COUNT;
    -- runs comes from V2 (one row per agent run); a run still going is never deleted.
    DELETE FROM runs WHERE started_at < cutoff AND ended_at IS NOT NULL;
    GET DIAGNOSTICS deleted_runs = ROW_COUNT;
    deleted_sessions := 0;
    IF delete_idle_sessions THEN
        DELETE FROM session_memory m
         WHERE EXISTS (SELECT 1 FROM sessions s WHERE s.session_key = m.session_key
                          AND s.updated_at < cutoff AND s.running_run_id IS NULL);
        DELETE FROM sessions WHERE updated_at < cutoff AND running_run_id IS NULL;
        GET DIAGNOSTICS deleted_sessions = ROW_COUNT;
    END IF;
    RETURN NEXT;
END;
$$;

COMMENT ON FUNCTION agentgate_cleanup(INTERVAL, BOOLEAN) IS
    'DBA cleanup for agentgate: SELECT * FROM agentgate_cleanup(interval ''90 days''[, true]). See db/cleanup.sql.';
