-- Start-up suspension flips `suspended` on every recently active row in one statement. The partial
-- index on `suspended` made each of those updates touch every index of the table (an indexed
-- column changed); without it, and with room left in each page, PostgreSQL can update the rows in
-- place (HOT). Lookups of suspended sessions go by session_key, the primary key, anyway.
DROP INDEX IF EXISTS sessions_suspended_idx;
ALTER TABLE sessions SET (fillfactor = 80);
