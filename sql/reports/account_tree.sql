-- Every account with its place in its hierarchy and its effective settings (BILLING.md §10): its
-- own setting, else its parent's effective one, else the default (itself for the invoicer, usage
-- recipient and tax account; net 30; no bill group or billing day).
DROP VIEW IF EXISTS reporting.account_tree CASCADE;
CREATE VIEW reporting.account_tree WITH (security_invoker = true) AS
WITH RECURSIVE tree AS (
    SELECT a.tenant_id, a.id, a.name, a.parent_id, a.root_id, a.status, a.currency, 0 AS depth,
           a.id::text AS path,
           coalesce(a.subscription_invoicer_id, a.id) AS subscription_invoicer_id,
           coalesce(a.usage_invoice_recipient_id, a.id) AS usage_invoice_recipient_id,
           coalesce(a.tax_account_id, a.id) AS tax_account_id,
           coalesce(a.payment_terms_days, 30) AS payment_terms_days,
           a.bill_group, a.billing_day::integer AS billing_day
    FROM public.accounts a
    WHERE a.parent_id IS NULL
    UNION ALL
    SELECT c.tenant_id, c.id, c.name, c.parent_id, c.root_id, c.status, c.currency, t.depth + 1,
           t.path || '/' || c.id::text,
           coalesce(c.subscription_invoicer_id, t.subscription_invoicer_id),
           coalesce(c.usage_invoice_recipient_id, t.usage_invoice_recipient_id),
           coalesce(c.tax_account_id, t.tax_account_id),
           coalesce(c.payment_terms_days, t.payment_terms_days),
           coalesce(c.bill_group, t.bill_group),
           coalesce(c.billing_day::integer, t.billing_day)
    FROM public.accounts c JOIN tree t ON t.tenant_id = c.tenant_id AND t.id = c.parent_id
)
SELECT tenant_id, id AS account_id, name, parent_id, root_id, depth, path, status, currency,
       subscription_invoicer_id, usage_invoice_recipient_id, tax_account_id, payment_terms_days, bill_group,
       billing_day
FROM tree;
GRANT SELECT ON reporting.account_tree TO billing_report, billing_app;
