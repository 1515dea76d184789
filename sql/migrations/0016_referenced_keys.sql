-- 0013 and 0014 check a row's references once, when it is written, and rely on what it refers to
-- keeping the key it was checked against. Deletes were refused then, and the columns a
-- transaction copies from its order; but the parents' own keys could still change: an identity id
-- can be drawn anew (UPDATE … SET id = DEFAULT), and the owner's role is not bound by row-level
-- security's check on tenant_id. Every row those checks look up keeps its tenant and id.
--
-- And every trigger function names its search path, so that a table of the same name earlier on
-- a session's search_path (pg_temp included) cannot stand in for the one it checks.

CREATE FUNCTION refuse_id_change() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path = public, pg_temp
    AS $$
BEGIN
    RAISE EXCEPTION '% rows keep their tenant and id: other rows refer to them', TG_TABLE_NAME
        USING ERRCODE = 'restrict_violation', TABLE = TG_TABLE_NAME;
END
$$;

CREATE TRIGGER invoices_ids BEFORE UPDATE OF tenant_id, id ON invoices
    FOR EACH ROW WHEN (OLD.tenant_id <> NEW.tenant_id OR OLD.id <> NEW.id)
    EXECUTE FUNCTION refuse_id_change();
CREATE TRIGGER orders_ids BEFORE UPDATE OF id ON orders
    FOR EACH ROW WHEN (OLD.id <> NEW.id)
    EXECUTE FUNCTION refuse_id_change();
CREATE TRIGGER order_items_ids BEFORE UPDATE OF id ON order_items
    FOR EACH ROW WHEN (OLD.id <> NEW.id)
    EXECUTE FUNCTION refuse_id_change();
CREATE TRIGGER billing_transactions_ids BEFORE UPDATE OF id ON billing_transactions
    FOR EACH ROW WHEN (OLD.id <> NEW.id)
    EXECUTE FUNCTION refuse_id_change();

ALTER FUNCTION refuse_change() SET search_path = public, pg_temp;
ALTER FUNCTION refuse_key_change() SET search_path = public, pg_temp;
ALTER FUNCTION check_invoice_line_references() SET search_path = public, pg_temp;
ALTER FUNCTION check_billing_transaction_invoices() SET search_path = public, pg_temp;
ALTER FUNCTION check_billing_transaction_orders() SET search_path = public, pg_temp;
