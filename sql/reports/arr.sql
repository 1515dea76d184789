-- Recurring revenue per tenant and currency, normalised to a month (MRR) and a year (ARR), from
-- reporting.active_recurring_items.
DROP VIEW IF EXISTS reporting.arr CASCADE;
CREATE VIEW reporting.arr WITH (security_invoker = true) AS
SELECT tenant_id, currency, count(DISTINCT account_id) AS accounts, sum(monthly_amount) AS mrr,
       12 * sum(monthly_amount) AS arr
FROM reporting.active_recurring_items
GROUP BY tenant_id, currency;
GRANT SELECT ON reporting.arr TO billing_report, billing_app;
