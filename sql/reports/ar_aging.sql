-- Open invoices' balances by days past due on their tenant's today, per account and currency
-- (invoices dated later left out, as receivables.aging does).
DROP VIEW IF EXISTS reporting.ar_aging CASCADE;
CREATE VIEW reporting.ar_aging WITH (security_invoker = true) AS
SELECT i.tenant_id, i.account_id, i.currency,
       coalesce(sum(i.total - i.amount_allocated) FILTER (WHERE late <= 0), 0) AS current,
       coalesce(sum(i.total - i.amount_allocated) FILTER (WHERE late BETWEEN 1 AND 30), 0) AS days_1_30,
       coalesce(sum(i.total - i.amount_allocated) FILTER (WHERE late BETWEEN 31 AND 60), 0) AS days_31_60,
       coalesce(sum(i.total - i.amount_allocated) FILTER (WHERE late BETWEEN 61 AND 90), 0) AS days_61_90,
       coalesce(sum(i.total - i.amount_allocated) FILTER (WHERE late > 90), 0) AS over_90,
       sum(i.total - i.amount_allocated) AS total
FROM (
    SELECT inv.*, (now() AT TIME ZONE tn.timezone)::date - coalesce(inv.due_date, inv.invoice_date) AS late
    FROM public.invoices inv JOIN public.tenants tn ON tn.id = inv.tenant_id
    WHERE inv.type = 'invoice' AND inv.status IN ('posted', 'partially_paid') AND inv.invoice_date <= (now() AT TIME ZONE tn.timezone)::date
) AS i
GROUP BY i.tenant_id, i.account_id, i.currency;
GRANT SELECT ON reporting.ar_aging TO billing_report, billing_app;
