-- Pending billing transactions due in the current invoicing period: dated through the last day of
-- the tenant's current month (earlier ones not billed yet included).
DROP VIEW IF EXISTS reporting.items_to_invoice CASCADE;
CREATE VIEW reporting.items_to_invoice WITH (security_invoker = true) AS
SELECT t.tenant_id, t.id AS transaction_id, t.account_id, t.order_id, t.order_item_id, i.product_id, i.service_code,
       t.kind, t.billing_date, t.period_start, t.period_end, t.amount, t.currency
FROM public.billing_transactions t
JOIN public.order_items i ON i.tenant_id = t.tenant_id AND i.id = t.order_item_id
JOIN public.tenants tn ON tn.id = t.tenant_id
WHERE t.status = 'pending'
  AND t.billing_date <= (date_trunc('month', (now() AT TIME ZONE tn.timezone)::date) + interval '1 month - 1 day')::date;
GRANT SELECT ON reporting.items_to_invoice TO billing_report, billing_app;
