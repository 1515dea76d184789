-- Active orders ending within the next 90 days (from the tenant's today), with their renewal
-- opportunity when it was made.
DROP VIEW IF EXISTS reporting.renewals_due CASCADE;
CREATE VIEW reporting.renewals_due WITH (security_invoker = true) AS
SELECT o.tenant_id, o.id AS order_id, o.account_id, o.currency, o.end_date,
       o.end_date - (now() AT TIME ZONE tn.timezone)::date AS days_left, r.id AS renewal_opportunity_id, r.stage AS renewal_stage
FROM public.orders o
JOIN public.tenants tn ON tn.id = o.tenant_id
LEFT JOIN public.opportunities r ON r.tenant_id = o.tenant_id AND r.renewal_of_order_id = o.id
WHERE o.status = 'active' AND o.end_date BETWEEN (now() AT TIME ZONE tn.timezone)::date AND (now() AT TIME ZONE tn.timezone)::date + 90;
GRANT SELECT ON reporting.renewals_due TO billing_report, billing_app;
