-- Recurring revenue per tenant and currency, normalised: monthly (MRR) and annual (ARR), from the
-- active recurring items priced per unit or per package (tiered items are left out).
DROP VIEW IF EXISTS reporting.arr CASCADE;
CREATE VIEW reporting.arr WITH (security_invoker = true) AS
SELECT o.tenant_id, o.currency, count(DISTINCT o.account_id) AS accounts,
       round(sum(CASE i.pricing_model
               WHEN 'per_unit' THEN i.quantity * i.unit_price
               ELSE ceil(i.quantity / i.package_size) * i.unit_price END
           / CASE p.frequency WHEN 'monthly' THEN 1 WHEN 'quarterly' THEN 3 WHEN 'semiannual' THEN 6 ELSE 12 END)
           , 6) AS mrr,
       round(12 * sum(CASE i.pricing_model
                    WHEN 'per_unit' THEN i.quantity * i.unit_price
                    ELSE ceil(i.quantity / i.package_size) * i.unit_price END
                / CASE p.frequency WHEN 'monthly' THEN 1 WHEN 'quarterly' THEN 3 WHEN 'semiannual' THEN 6 ELSE 12 END)
           , 6) AS arr
FROM public.order_items i
JOIN public.orders o ON o.tenant_id = i.tenant_id AND o.id = i.order_id
JOIN public.billing_processes p ON p.tenant_id = i.tenant_id AND p.id = i.billing_process_id
WHERE p.kind = 'recurring' AND i.status = 'active' AND i.pricing_model IN ('per_unit', 'package')
  AND i.start_date <= public.tenant_today() AND (i.end_date IS NULL OR i.end_date >= public.tenant_today())
GROUP BY o.tenant_id, o.currency;
GRANT SELECT ON reporting.arr TO billing_report, billing_app;
