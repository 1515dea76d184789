-- Every numbered document (posted, paid or void), with its balance as invoices.get shows it: what
-- is left to pay of an invoice, the credit not applied yet of a credit note (negative).
DROP VIEW IF EXISTS reporting.invoice_register CASCADE;
CREATE VIEW reporting.invoice_register WITH (security_invoker = true) AS
SELECT i.tenant_id, i.id AS invoice_id, i.number, i.type, i.status, i.account_id, a.name AS account_name,
       i.currency, i.invoice_date, i.due_date, i.subtotal, i.tax_total, i.total, i.amount_allocated,
       CASE WHEN i.type = 'invoice' AND i.status <> 'void' THEN i.total - i.amount_allocated
            WHEN i.type = 'credit_note' THEN i.total + i.amount_allocated
            ELSE 0 END AS balance,
       i.run_id, i.credited_invoice_id
FROM public.invoices i JOIN public.accounts a ON a.tenant_id = i.tenant_id AND a.id = i.account_id
WHERE i.number IS NOT NULL;
GRANT SELECT ON reporting.invoice_register TO billing_report, billing_app;
