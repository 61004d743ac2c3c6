-- The login role the exporter connects as: a member of pg_monitor, nothing more.
-- Run once per server as a superuser:
--   psql -U postgres -d postgres -v ON_ERROR_STOP=1 -f create-monitor-role.sql
-- then set the password (psql asks for it and sends it hashed, never in clear text):
--   psql -U postgres -c '\password pgmetrics'
-- Running the script again changes nothing that is already in place.

DO $$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_catalog.pg_roles WHERE rolname = 'pgmetrics') THEN
        CREATE ROLE pgmetrics LOGIN;
    END IF;
END
$$;

-- No superuser, no replication, no role or database creation, and a few connections at most:
-- the exporter keeps a small bounded pool, and a misconfigured scraper must not use up
-- max_connections.
ALTER ROLE pgmetrics WITH LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS CONNECTION LIMIT 10;

-- pg_monitor: read every pg_stat_* view with other sessions' query text, pg_stat_statements,
-- pg_ls_waldir() (WAL metrics), database sizes, and the settings.
GRANT pg_monitor TO pgmetrics;

-- Safety nets on the server side, whatever the client asks for: statistics queries are read-only
-- and short, and must never wait on locks held by the application.
ALTER ROLE pgmetrics SET default_transaction_read_only = on;
ALTER ROLE pgmetrics SET statement_timeout = '15s';
ALTER ROLE pgmetrics SET lock_timeout = '1s';
ALTER ROLE pgmetrics SET idle_in_transaction_session_timeout = '60s';

-- Connecting: PUBLIC holds CONNECT on every database by default. Where it was revoked, grant it
-- for each database the exporter should cover, for example:
--   GRANT CONNECT ON DATABASE app TO pgmetrics;
-- pg_hba.conf must let the role in, for example (then SELECT pg_reload_conf()):
--   host  all  pgmetrics  127.0.0.1/32  scram-sha-256
