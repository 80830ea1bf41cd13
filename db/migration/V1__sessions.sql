-- Sessions: one row per client session key (a chat, a user). The current conversation is
-- session_id; it changes whenever the session is reset (suspended, idle, daily, manual).
CREATE TABLE sessions (
    session_key        TEXT        PRIMARY KEY,
    session_id         UUID        NOT NULL,
    suspended          BOOLEAN     NOT NULL DEFAULT FALSE,
    memory_flushed     BOOLEAN     NOT NULL DEFAULT FALSE,
    created_at         TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at         TIMESTAMPTZ NOT NULL DEFAULT now(),
    CONSTRAINT session_key_length CHECK (char_length(session_key) BETWEEN 1 AND 256)
);

-- Start-up suspension looks for sessions touched in the last minutes.
CREATE INDEX sessions_updated_at_idx ON sessions (updated_at);
-- Every session id is unique across keys; transcripts refer to it.
CREATE UNIQUE INDEX sessions_session_id_idx ON sessions (session_id);
-- Suspended sessions are looked up on access and by operators.
CREATE INDEX sessions_suspended_idx ON sessions (session_key) WHERE suspended;
