-- Tax per month of invoice date, buyer country, category and rate, from numbered documents' tax
-- breakdowns (credit notes negative, void invoices and their credit notes both counted; sales
-- orders, and the credit notes of voided ones, left out). The country is that of the invoicer's
-- effective tax account as the accounts are now, else the tenant's legal entity's.
DROP VIEW IF EXISTS reporting.tax_summary CASCADE;
CREATE VIEW reporting.tax_summary WITH (security_invoker = true) AS
SELECT i.tenant_id, date_trunc('month', i.invoice_date)::date AS month, i.currency,
       coalesce(taxed.tax_country, t.legal_entity_country) AS country, b.value ->> 'category' AS category,
       (b.value ->> 'rate')::numeric AS rate, sum((b.value ->> 'base')::numeric) AS base,
       sum((b.value ->> 'amount')::numeric) AS tax, count(DISTINCT i.id) AS documents
FROM public.invoices i
JOIN public.tenants t ON t.id = i.tenant_id
JOIN reporting.account_tree tree ON tree.tenant_id = i.tenant_id AND tree.account_id = i.account_id
JOIN public.accounts taxed ON taxed.tenant_id = i.tenant_id AND taxed.id = tree.tax_account_id
CROSS JOIN LATERAL jsonb_array_elements(i.tax_breakdown) AS b(value)
WHERE i.number IS NOT NULL AND i.type IN ('invoice', 'credit_note', 'sales_receipt')
  AND NOT EXISTS (
      SELECT 1 FROM public.invoices c
      WHERE c.tenant_id = i.tenant_id AND c.id = i.credited_invoice_id AND c.type = 'sales_order')
GROUP BY i.tenant_id, date_trunc('month', i.invoice_date), i.currency, coalesce(taxed.tax_country, t.legal_entity_country),
         b.value ->> 'category', (b.value ->> 'rate')::numeric;
GRANT SELECT ON reporting.tax_summary TO billing_report, billing_app;
