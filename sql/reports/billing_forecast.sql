-- What pending billing transactions will bill, per month of their billing date and currency.
DROP VIEW IF EXISTS reporting.billing_forecast CASCADE;
CREATE VIEW reporting.billing_forecast WITH (security_invoker = true) AS
SELECT tenant_id, date_trunc('month', billing_date)::date AS month, currency, count(*) AS transactions,
       sum(amount) AS amount
FROM public.billing_transactions
WHERE status = 'pending' AND billing_date IS NOT NULL
GROUP BY tenant_id, date_trunc('month', billing_date), currency;
GRANT SELECT ON reporting.billing_forecast TO billing_report, billing_app;
