-- Recurring revenue per account and currency, normalised to a month (MRR) and a year (ARR), from
-- reporting.active_recurring_items.
DROP VIEW IF EXISTS reporting.mrr CASCADE;
CREATE VIEW reporting.mrr WITH (security_invoker = true) AS
SELECT tenant_id, account_id, currency, count(*) AS items, sum(monthly_amount) AS mrr, 12 * sum(monthly_amount) AS arr
FROM reporting.active_recurring_items
GROUP BY tenant_id, account_id, currency;
GRANT SELECT ON reporting.mrr TO billing_report, billing_app;
