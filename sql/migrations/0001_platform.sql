-- Platform: roles, tenant isolation, tenants, API keys and the event outbox.
--
-- Run by the schema owner. The server works as billing_app (owns nothing, NOBYPASSRLS);
-- DBAs' reports run as billing_report, which reads only the reporting schema.

DO $$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'billing_app') THEN
        CREATE ROLE billing_app NOLOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE;
    END IF;
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'billing_report') THEN
        CREATE ROLE billing_report NOLOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE;
    END IF;
END
$$;

REVOKE ALL ON SCHEMA public FROM PUBLIC;
GRANT USAGE ON SCHEMA public TO billing_app;
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO billing_app;
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO billing_app;
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT EXECUTE ON FUNCTIONS TO billing_app;

CREATE SCHEMA reporting;
GRANT USAGE ON SCHEMA reporting TO billing_report;
ALTER DEFAULT PRIVILEGES IN SCHEMA reporting GRANT SELECT ON TABLES TO billing_report;

-- The tenant a transaction acts for, set with set_config('billing.tenant_id', …, true).
-- NULL when unset, so a policy comparing with it matches no row.
CREATE FUNCTION current_tenant_id() RETURNS bigint
    LANGUAGE sql STABLE PARALLEL SAFE
    AS $$ SELECT nullif(current_setting('billing.tenant_id', true), '')::bigint $$;

-- Whether the transaction acts for the operator (who manages tenants).
CREATE FUNCTION is_operator_session() RETURNS boolean
    LANGUAGE sql STABLE PARALLEL SAFE
    AS $$ SELECT coalesce(current_setting('billing.operator', true), '') = 'on' $$;

-- Timestamps on the wire and in reports: RFC 3339, UTC, whole seconds.
CREATE FUNCTION rfc3339(at timestamptz) RETURNS text
    LANGUAGE sql STABLE PARALLEL SAFE
    AS $$ SELECT to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') $$;

-- Every tenant table calls this once: RLS enabled and forced, rows visible only to their tenant.
CREATE PROCEDURE enable_tenant_isolation(target regclass)
    LANGUAGE plpgsql
    AS $$
BEGIN
    EXECUTE format('ALTER TABLE %s ENABLE ROW LEVEL SECURITY', target);
    EXECUTE format('ALTER TABLE %s FORCE ROW LEVEL SECURITY', target);
    EXECUTE format(
        'CREATE POLICY tenant_isolation ON %s USING (tenant_id = current_tenant_id()) '
        'WITH CHECK (tenant_id = current_tenant_id())', target);
END
$$;

CREATE TABLE tenants (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    default_currency text NOT NULL CHECK (default_currency ~ '^[A-Z]{3}$'),
    timezone text NOT NULL,
    legal_entity_name text NOT NULL CHECK (length(legal_entity_name) BETWEEN 1 AND 200),
    legal_entity_country text NOT NULL CHECK (legal_entity_country ~ '^[A-Z]{2}$'),
    legal_entity_vat_number text,
    version integer NOT NULL DEFAULT 1,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now()
);
-- A tenant sees its own row; only the operator sees or creates all of them.
ALTER TABLE tenants ENABLE ROW LEVEL SECURITY;
ALTER TABLE tenants FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_self ON tenants
    USING (id = current_tenant_id() OR is_operator_session())
    WITH CHECK (is_operator_session());

CREATE TABLE api_keys (
    tenant_id bigint NOT NULL REFERENCES tenants (id),
    id bigint GENERATED ALWAYS AS IDENTITY,
    key text NOT NULL,
    secret_salt bytea NOT NULL,
    secret_hash bytea NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    revoked_at timestamptz,
    PRIMARY KEY (tenant_id, id),
    UNIQUE (tenant_id, key)
);
CALL enable_tenant_isolation('api_keys');

-- One counter per tenant: appending an event locks it until commit, so events become visible in
-- sequence order and a partner's cursor never skips an event that commits later.
CREATE TABLE event_sequences (
    tenant_id bigint PRIMARY KEY REFERENCES tenants (id),
    last_seq bigint NOT NULL DEFAULT 0
);
CALL enable_tenant_isolation('event_sequences');

CREATE TABLE events (
    tenant_id bigint NOT NULL REFERENCES tenants (id),
    seq bigint NOT NULL,
    type text NOT NULL,
    entity text NOT NULL,
    entity_id text NOT NULL,
    data jsonb NOT NULL,
    occurred_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, seq)
);
CALL enable_tenant_isolation('events');
