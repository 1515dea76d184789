-- Recorded usage per account, metric (the usage service) and billing period: the totals the
-- rating uses, and what was rated of them.
DROP VIEW IF EXISTS reporting.usage_by_metric CASCADE;
CREATE VIEW reporting.usage_by_metric WITH (security_invoker = true) AS
SELECT u.tenant_id, o.account_id, u.order_item_id, i.product_id, i.service_code AS metric, u.period_start,
       u.period_end, u.event_count AS events, u.quantity_sum, u.quantity_max, u.rated_quantity, NOT u.unrated AS rated
FROM public.usage_periods u
JOIN public.order_items i ON i.tenant_id = u.tenant_id AND i.id = u.order_item_id
JOIN public.orders o ON o.tenant_id = i.tenant_id AND o.id = i.order_id;
GRANT SELECT ON reporting.usage_by_metric TO billing_report, billing_app;
