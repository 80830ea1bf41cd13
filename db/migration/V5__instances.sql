-- Several gateway instances on one database (issue 14): who is alive, which instance ran each run,
-- and runs left open by a dead instance closed as 'interrupted'.

-- One row per running gateway instance (AGENTGATE_INSTANCE_ID), written only by that instance: added
-- at start-up, expires_at pushed forward by its heartbeat (every third of its lease), deleted when it
-- stops cleanly. An instance is live while expires_at >= now(); a crashed one stops being live when
-- its leases expire, since the same heartbeat renews both.
CREATE TABLE instances (
    instance_id  TEXT        PRIMARY KEY,
    incarnation  UUID        NOT NULL,
    started_at   TIMESTAMPTZ NOT NULL DEFAULT now(),
    expires_at   TIMESTAMPTZ NOT NULL,
    CONSTRAINT instance_id_length CHECK (char_length(instance_id) BETWEEN 1 AND 128)
);

-- sessions.running_owner now holds the owning instance's AGENTGATE_INSTANCE_ID.

-- The instance that ran the run (NULL for rows written before V5). A run still open whose instance is
-- no longer live is closed as 'interrupted' by any live instance; the restarted instance closes its
-- own at once.
ALTER TABLE runs ADD COLUMN instance_id TEXT;
CREATE INDEX runs_open_idx ON runs (instance_id) WHERE outcome IS NULL;

-- DBA cleanup (V3's function), now also deleting runs that never ended because their instance died
-- (after V5 those are closed as 'interrupted' anyway; rows from before V5 have no instance), idle
-- session rows whose lease was left behind by a dead instance, and instances not live since the cutoff.
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
    -- A run still going on a live instance is never deleted.
    DELETE FROM runs r
     WHERE r.started_at < cutoff
       AND (r.ended_at IS NOT NULL
            OR NOT EXISTS (SELECT 1 FROM instances i
                            WHERE i.instance_id = r.instance_id AND i.expires_at >= now()));
    GET DIAGNOSTICS deleted_runs = ROW_COUNT;
    -- Instances that have not been live since the cutoff (crashed for good, or renamed).
    DELETE FROM instances WHERE expires_at < cutoff;
    deleted_sessions := 0;
    IF delete_idle_sessions THEN
        DELETE FROM session_memory m
         WHERE EXISTS (SELECT 1 FROM sessions s WHERE s.session_key = m.session_key
                          AND s.updated_at < cutoff AND (s.running_run_id IS NULL OR s.lease_until < now()));
        DELETE FROM sessions WHERE updated_at < cutoff AND (running_run_id IS NULL OR lease_until < now());
        GET DIAGNOSTICS deleted_sessions = ROW_COUNT;
    END IF;
    RETURN NEXT;
END;
$$;

COMMENT ON FUNCTION agentgate_cleanup(INTERVAL, BOOLEAN) IS
    'DBA cleanup for agentgate: SELECT * FROM agentgate_cleanup(interval ''90 days''[, true]). See db/cleanup.sql.';
