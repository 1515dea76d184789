-- Active orders ending within the next 90 days (from the tenant's today), with their renewal
-- opportunity when it was made.
DROP VIEW IF EXISTS reporting.renewals_due CASCADE;
CREATE VIEW reporting.renewals_due WITH (security_invoker = true) AS
SELECT o.tenant_id, o.id AS order_id, o.account_id, o.currency, o.end_date,
       o.end_date - public.tenant_today() AS days_left, r.id AS renewal_opportunity_id, r.stage AS renewal_stage
FROM public.orders o
LEFT JOIN public.opportunities r ON r.tenant_id = o.tenant_id AND r.renewal_of_order_id = o.id
WHERE o.status = 'active' AND o.end_date BETWEEN public.tenant_today() AND public.tenant_today() + 90;
GRANT SELECT ON reporting.renewals_due TO billing_report, billing_app;
