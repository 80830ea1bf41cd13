-- agentgate: DBA cleanup of old transcripts and run records.
--
-- The gateway never deletes history itself. Run this script (or call the function it wraps, which
-- migration V3 installs) on a schedule of your choosing. It is safe while the gateway is running:
-- every statement is a plain DELETE by age, a running turn is never touched, and a session whose
-- rows are gone simply starts fresh on its next request.
--
--   psql "postgresql://agentgate@db.example:5432/agentgate" -v keep='90 days' -f db/cleanup.sql
-- and to also drop the session rows (with their memory notes) untouched that long:
--   psql "postgresql://agentgate@db.example:5432/agentgate" -v keep='30 days' -v idle_sessions=true -f db/cleanup.sql
--
-- psql needs a libpq URL, not the JDBC URL in AGENTGATE_DB_URL: for jdbc:postgresql://db.example:5432/agentgate
-- drop "jdbc:" and put the user in it; the password comes from ~/.pgpass or PGPASSWORD.
--
-- cron (every night at 03:17):
--   17 3 * * *  psql "postgresql://agentgate@db/agentgate" -v keep='90 days' -f /opt/agentgate/db/cleanup.sql
-- pg_cron (inside the database):
--   SELECT cron.schedule('agentgate-cleanup', '17 3 * * *',
--                        $$SELECT * FROM agentgate_cleanup(interval '90 days')$$);
--
-- Indexes used: session_messages_created_at_idx, runs_started_at_idx, sessions_updated_at_idx.

\if :{?keep}
\else
  \set keep '90 days'
\endif
\if :{?idle_sessions}
\else
  \set idle_sessions false
\endif

SELECT * FROM agentgate_cleanup(:'keep'::interval, :'idle_sessions'::boolean);
