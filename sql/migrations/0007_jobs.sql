-- Durable jobs and the schedules that enqueue them.
--
-- Workers claim jobs of every tenant, so besides the tenant policy a worker session
-- (billing.worker = on, set only by BillingJobs) sees jobs and schedules of all tenants, and the
-- tenants themselves (for their time zones). A handler then runs in a transaction of the job's
-- tenant, as any request does.

CREATE FUNCTION is_worker_session() RETURNS boolean
    LANGUAGE sql STABLE PARALLEL SAFE
    AS $$ SELECT coalesce(current_setting('billing.worker', true), '') = 'on' $$;

CREATE POLICY tenant_worker ON tenants FOR SELECT USING (is_worker_session());

CREATE TABLE jobs (
    tenant_id bigint NOT NULL REFERENCES tenants (id),
    id bigint GENERATED ALWAYS AS IDENTITY,
    kind text NOT NULL CHECK (kind ~ '^[a-z][a-z0-9_.]{0,99}$'),
    payload jsonb NOT NULL DEFAULT '{}',
    -- The same occurrence (e.g. one firing of a schedule) is enqueued once per kind.
    dedup_key text CHECK (length(dedup_key) BETWEEN 1 AND 200),
    status text NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'running', 'completed', 'dead')),
    run_at timestamptz NOT NULL DEFAULT now(),
    attempts integer NOT NULL DEFAULT 0,
    max_attempts integer NOT NULL DEFAULT 5 CHECK (max_attempts BETWEEN 1 AND 100),
    -- The worker holding the job while it runs, until lease_expires_at (renewed by heartbeat).
    lease_owner text,
    lease_expires_at timestamptz,
    last_error text,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    started_at timestamptz,
    finished_at timestamptz,
    PRIMARY KEY (tenant_id, id),
    UNIQUE (tenant_id, kind, dedup_key),
    CHECK ((status = 'running') = (lease_owner IS NOT NULL AND lease_expires_at IS NOT NULL))
);
CREATE INDEX jobs_due ON jobs (run_at) WHERE status = 'queued';
CREATE INDEX jobs_leased ON jobs (lease_expires_at) WHERE status = 'running';
CALL enable_tenant_isolation('jobs');
CREATE POLICY worker_access ON jobs USING (is_worker_session()) WITH CHECK (is_worker_session());

-- A job enqueued every day, week or month at a time of day in the tenant's time zone.
-- next_run_at is the next occurrence; the worker that fires it moves it on in the same
-- transaction, so each occurrence fires once however many workers run, and after downtime only
-- the latest missed occurrence fires.
CREATE TABLE job_schedules (
    tenant_id bigint NOT NULL REFERENCES tenants (id),
    id bigint GENERATED ALWAYS AS IDENTITY,
    name text NOT NULL CHECK (name ~ '^[a-z][a-z0-9_.-]{0,99}$'),
    job_kind text NOT NULL CHECK (job_kind ~ '^[a-z][a-z0-9_.]{0,99}$'),
    payload jsonb NOT NULL DEFAULT '{}',
    cadence text NOT NULL CHECK (cadence IN ('daily', 'weekly', 'monthly')),
    -- weekly: ISO day of week, 1 = Monday; monthly: day of month, clamped to short months.
    weekday smallint CHECK (weekday BETWEEN 1 AND 7),
    month_day smallint CHECK (month_day BETWEEN 1 AND 31),
    time_of_day time NOT NULL,
    next_run_at timestamptz NOT NULL,
    last_occurrence_at timestamptz,
    enabled boolean NOT NULL DEFAULT true,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id),
    UNIQUE (tenant_id, name),
    CHECK ((cadence = 'weekly') = (weekday IS NOT NULL)),
    CHECK ((cadence = 'monthly') = (month_day IS NOT NULL))
);
CREATE INDEX job_schedules_due ON job_schedules (next_run_at) WHERE enabled;
CALL enable_tenant_isolation('job_schedules');
CREATE POLICY worker_access ON job_schedules USING (is_worker_session()) WITH CHECK (is_worker_session());
