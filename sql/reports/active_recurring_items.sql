-- The recurring items active on their tenant's today and priced per unit or per package, each with
-- its charge normalised to a month (the charge of its quantity for one period of its process, the
-- included quantity first subtracted, divided by the period's months): what mrr and arr add up.
-- Tiered items are left out (their charge depends on the period's whole quantity).
DROP VIEW IF EXISTS reporting.active_recurring_items CASCADE;
CREATE VIEW reporting.active_recurring_items WITH (security_invoker = true) AS
SELECT o.tenant_id, o.account_id, i.order_id, i.id AS order_item_id, i.product_id, i.service_code, o.currency,
       p.frequency, i.quantity, i.pricing_model, i.unit_price, i.package_size,
       round(CASE i.pricing_model
                 WHEN 'per_unit' THEN greatest(i.quantity - i.included_quantity, 0) * i.unit_price
                 ELSE ceil(greatest(i.quantity - i.included_quantity, 0) / i.package_size) * i.unit_price END
             / CASE p.frequency WHEN 'monthly' THEN 1 WHEN 'quarterly' THEN 3 WHEN 'semiannual' THEN 6 ELSE 12 END,
             6) AS monthly_amount
FROM public.order_items i
JOIN public.orders o ON o.tenant_id = i.tenant_id AND o.id = i.order_id
JOIN public.billing_processes p ON p.tenant_id = i.tenant_id AND p.id = i.billing_process_id
JOIN public.tenants tn ON tn.id = i.tenant_id
WHERE p.kind = 'recurring' AND i.status = 'active' AND i.pricing_model IN ('per_unit', 'package')
  AND i.start_date <= (now() AT TIME ZONE tn.timezone)::date AND (i.end_date IS NULL OR i.end_date >= (now() AT TIME ZONE tn.timezone)::date);
GRANT SELECT ON reporting.active_recurring_items TO billing_report, billing_app;
