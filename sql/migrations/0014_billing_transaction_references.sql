-- Activation writes a billing transaction per period, and 0012's two foreign keys still looked up
-- an order item and an order for every row: most of an activation's time in PostgreSQL
-- (docs/performance.md). As 0013 did for documents, they become one check per statement, which
-- looks up each distinct (order, item) the statement wrote once: an order of twelve monthly
-- periods costs one lookup instead of twenty-four.
--
-- A check when the row is written is enough because what it checks cannot change afterwards:
-- orders and their items are never deleted (an order is cancelled, an item terminated), an order
-- keeps its account and currency, an item its order, and a billing transaction all four.

REVOKE DELETE, TRUNCATE ON orders, order_items FROM billing_app;
CREATE TRIGGER orders_kept BEFORE DELETE OR TRUNCATE ON orders
    FOR EACH STATEMENT EXECUTE FUNCTION refuse_change();
CREATE TRIGGER order_items_kept BEFORE DELETE OR TRUNCATE ON order_items
    FOR EACH STATEMENT EXECUTE FUNCTION refuse_change();

CREATE FUNCTION refuse_key_change() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
BEGIN
    RAISE EXCEPTION '% rows keep the order, account and currency they were written with', TG_TABLE_NAME
        USING ERRCODE = 'restrict_violation', TABLE = TG_TABLE_NAME;
END
$$;

CREATE TRIGGER orders_keys BEFORE UPDATE OF tenant_id, account_id, currency ON orders
    FOR EACH ROW
    WHEN (OLD.tenant_id <> NEW.tenant_id OR OLD.account_id <> NEW.account_id OR OLD.currency <> NEW.currency)
    EXECUTE FUNCTION refuse_key_change();
CREATE TRIGGER order_items_keys BEFORE UPDATE OF tenant_id, order_id ON order_items
    FOR EACH ROW
    WHEN (OLD.tenant_id <> NEW.tenant_id OR OLD.order_id <> NEW.order_id)
    EXECUTE FUNCTION refuse_key_change();
CREATE TRIGGER billing_transactions_keys
    BEFORE UPDATE OF tenant_id, order_id, order_item_id, account_id, currency ON billing_transactions
    FOR EACH ROW
    WHEN (OLD.tenant_id <> NEW.tenant_id OR OLD.order_id <> NEW.order_id OR OLD.order_item_id <> NEW.order_item_id
          OR OLD.account_id <> NEW.account_id OR OLD.currency <> NEW.currency)
    EXECUTE FUNCTION refuse_key_change();

-- Every written transaction's item belongs to its order, and the order bills its account in its
-- currency. Probed through the primary keys (see 0013 on why hash joins are off).
CREATE FUNCTION check_billing_transaction_orders() RETURNS trigger
    LANGUAGE plpgsql
    SET enable_hashjoin = off
    SET enable_mergejoin = off
    AS $$
DECLARE
    missing bigint;
BEGIN
    SELECT t.order_item_id INTO missing
    FROM (
        SELECT DISTINCT tenant_id, order_id, order_item_id, account_id, currency FROM written_transactions
    ) AS t
    WHERE NOT EXISTS (
        SELECT 1
        FROM order_items i JOIN orders o ON o.tenant_id = i.tenant_id AND o.id = i.order_id
        WHERE i.tenant_id = t.tenant_id AND i.id = t.order_item_id AND i.order_id = t.order_id
          AND o.account_id = t.account_id AND o.currency = t.currency)
    LIMIT 1;
    IF FOUND THEN
        RAISE EXCEPTION 'billing transaction of order item %, which is not an item of its order, account and currency',
            missing
            USING ERRCODE = 'foreign_key_violation', TABLE = 'billing_transactions';
    END IF;
    RETURN NULL;
END
$$;

ALTER TABLE billing_transactions
    DROP CONSTRAINT billing_transactions_item,
    DROP CONSTRAINT billing_transactions_order;
CREATE TRIGGER billing_transactions_orders AFTER INSERT ON billing_transactions
    REFERENCING NEW TABLE AS written_transactions
    FOR EACH STATEMENT EXECUTE FUNCTION check_billing_transaction_orders();
