-- An invoice run may be split into partitions, each run by its own job so that several worker
-- processes share one run: partition k of n invoices the hierarchies whose root account id hashes
-- (hashint8, sign bit cleared) modulo n to k. Each partition keeps its own progress; the run completes when its last partition does.
ALTER TABLE invoice_runs ADD COLUMN partitions smallint NOT NULL DEFAULT 1 CHECK (partitions BETWEEN 1 AND 32);

CREATE TABLE invoice_run_partitions (
    tenant_id bigint NOT NULL REFERENCES tenants (id),
    run_id bigint NOT NULL,
    partition smallint NOT NULL CHECK (partition >= 0),
    -- Every root of this partition up to this one is done.
    last_root_id bigint NOT NULL DEFAULT 0,
    finished_at timestamptz,
    PRIMARY KEY (tenant_id, run_id, partition),
    FOREIGN KEY (tenant_id, run_id) REFERENCES invoice_runs (tenant_id, id)
);
CALL enable_tenant_isolation('invoice_run_partitions');

-- The metrics port counts the jobs not yet completed by state on every scrape; completed jobs,
-- most of the table, stay out of this index.
CREATE INDEX jobs_open ON jobs (status) WHERE status <> 'completed';
