-- A billing transaction's four per-row lookups (its order, its item, its account, its currency)
-- become two, each proving more than before:
--   (order_item_id, order_id) → order_items: the item exists and belongs to that order (which
--     exists, since the item references it);
--   (order_id, account_id, currency) → orders: the order bills that account in that currency.
-- Activations write a row per period, and each foreign key is a lookup per row; bulk activation
-- spent most of its time in them (docs/performance.md). The unique keys the new references need
-- replace the indexes they cover.
CREATE UNIQUE INDEX order_items_order_item ON order_items (tenant_id, order_id, id);
DROP INDEX order_items_order;
ALTER TABLE order_items ADD CONSTRAINT order_items_order_item UNIQUE USING INDEX order_items_order_item;

CREATE UNIQUE INDEX orders_account_currency ON orders (tenant_id, account_id, currency, id);
DROP INDEX orders_account;
ALTER TABLE orders ADD CONSTRAINT orders_account_currency UNIQUE USING INDEX orders_account_currency;

ALTER TABLE billing_transactions
    DROP CONSTRAINT billing_transactions_tenant_id_order_id_fkey,
    DROP CONSTRAINT billing_transactions_tenant_id_order_item_id_fkey,
    DROP CONSTRAINT billing_transactions_tenant_id_account_id_fkey,
    DROP CONSTRAINT billing_transactions_currency_fkey,
    ADD CONSTRAINT billing_transactions_item FOREIGN KEY (tenant_id, order_id, order_item_id)
        REFERENCES order_items (tenant_id, order_id, id),
    ADD CONSTRAINT billing_transactions_order FOREIGN KEY (tenant_id, account_id, currency, order_id)
        REFERENCES orders (tenant_id, account_id, currency, id);
