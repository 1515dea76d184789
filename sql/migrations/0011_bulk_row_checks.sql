-- The two tables written a row per period and a row per invoice line lose their own
-- `tenant_id REFERENCES tenants` check. Each row already references a parent by a key that includes
-- tenant_id (a billing transaction its order and item, a line its invoice), and that parent
-- references the tenant, so the check proved nothing new; it cost a lookup per row in every
-- activation and invoice run (docs/performance.md).
ALTER TABLE billing_transactions DROP CONSTRAINT billing_transactions_tenant_id_fkey;
ALTER TABLE invoice_lines DROP CONSTRAINT invoice_lines_tenant_id_fkey;
