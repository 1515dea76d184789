-- The reporting views (sql/reports/, created again by every migrate) run with the privileges of
-- whoever queries them (security_invoker), so row-level security applies to the querying role
-- and a DBA session that sets billing.tenant_id sees that tenant's rows only. billing_report
-- therefore reads the tables the views read, and nothing else (no API keys, jobs or idempotency
-- keys); billing_app reads the views for reports.run.
GRANT USAGE ON SCHEMA public TO billing_report;
GRANT SELECT ON accounts, tenants, orders, order_items, billing_processes, billing_transactions, invoices,
    opportunities, usage_periods TO billing_report;
GRANT USAGE ON SCHEMA reporting TO billing_app;
