-- An invoice run writes a line per billed transaction and marks the transaction invoiced. Three
-- foreign keys checked those rows one lookup (and one row lock) at a time: a line's invoice, a
-- line's billing transaction, and the invoice a transaction is billed on. They were half of the
-- run's time in PostgreSQL (docs/performance.md). Each becomes one set-based check per statement,
-- over the rows the statement wrote.
--
-- A check when a row is written is enough only if what it references cannot go away later, which
-- a foreign key also ensured. So billing documents, their lines and billing transactions are
-- never deleted (nothing in the server ever deleted them: a document is voided, a transaction
-- cancelled), and lines never change once written.

CREATE FUNCTION refuse_change() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
BEGIN
    RAISE EXCEPTION '% rows are never %d', TG_TABLE_NAME, lower(TG_OP)
        USING ERRCODE = 'restrict_violation', TABLE = TG_TABLE_NAME;
END
$$;

REVOKE DELETE, TRUNCATE ON invoices, invoice_lines, billing_transactions FROM billing_app;
REVOKE UPDATE ON invoice_lines FROM billing_app;
CREATE TRIGGER invoices_kept BEFORE DELETE OR TRUNCATE ON invoices
    FOR EACH STATEMENT EXECUTE FUNCTION refuse_change();
CREATE TRIGGER billing_transactions_kept BEFORE DELETE OR TRUNCATE ON billing_transactions
    FOR EACH STATEMENT EXECUTE FUNCTION refuse_change();
CREATE TRIGGER invoice_lines_kept BEFORE UPDATE OR DELETE OR TRUNCATE ON invoice_lines
    FOR EACH STATEMENT EXECUTE FUNCTION refuse_change();

-- Every line's invoice exists, and so does its billing transaction (when it has one). The rows
-- written are probed one by one through the parents' primary keys: with hash joins allowed, the
-- planner (which knows nothing of a transition table's size) hashed every transaction of the
-- tenant instead.
CREATE FUNCTION check_invoice_line_references() RETURNS trigger
    LANGUAGE plpgsql
    SET enable_hashjoin = off
    SET enable_mergejoin = off
    AS $$
DECLARE
    missing bigint;
BEGIN
    SELECT l.invoice_id INTO missing
    FROM (SELECT DISTINCT tenant_id, invoice_id FROM written_lines) AS l
    WHERE NOT EXISTS (SELECT 1 FROM invoices i WHERE i.tenant_id = l.tenant_id AND i.id = l.invoice_id)
    LIMIT 1;
    IF FOUND THEN
        RAISE EXCEPTION 'invoice line of invoice %, which does not exist', missing
            USING ERRCODE = 'foreign_key_violation', TABLE = 'invoice_lines';
    END IF;
    SELECT l.billing_transaction_id INTO missing
    FROM written_lines l
    WHERE l.billing_transaction_id IS NOT NULL
      AND NOT EXISTS (
          SELECT 1 FROM billing_transactions t WHERE t.tenant_id = l.tenant_id AND t.id = l.billing_transaction_id)
    LIMIT 1;
    IF FOUND THEN
        RAISE EXCEPTION 'invoice line of billing transaction %, which does not exist', missing
            USING ERRCODE = 'foreign_key_violation', TABLE = 'invoice_lines';
    END IF;
    RETURN NULL;
END
$$;

ALTER TABLE invoice_lines
    DROP CONSTRAINT invoice_lines_tenant_id_invoice_id_fkey,
    DROP CONSTRAINT invoice_lines_tenant_id_billing_transaction_id_fkey;
CREATE TRIGGER invoice_lines_references AFTER INSERT ON invoice_lines
    REFERENCING NEW TABLE AS written_lines
    FOR EACH STATEMENT EXECUTE FUNCTION check_invoice_line_references();

-- Every billing transaction billed on an invoice names one that exists.
CREATE FUNCTION check_billing_transaction_invoices() RETURNS trigger
    LANGUAGE plpgsql
    SET enable_hashjoin = off
    SET enable_mergejoin = off
    AS $$
DECLARE
    missing bigint;
BEGIN
    SELECT t.invoice_id INTO missing
    FROM (SELECT DISTINCT tenant_id, invoice_id FROM written_transactions WHERE invoice_id IS NOT NULL) AS t
    WHERE NOT EXISTS (SELECT 1 FROM invoices i WHERE i.tenant_id = t.tenant_id AND i.id = t.invoice_id)
    LIMIT 1;
    IF FOUND THEN
        RAISE EXCEPTION 'billing transaction billed on invoice %, which does not exist', missing
            USING ERRCODE = 'foreign_key_violation', TABLE = 'billing_transactions';
    END IF;
    RETURN NULL;
END
$$;

ALTER TABLE billing_transactions DROP CONSTRAINT billing_transactions_tenant_id_invoice_id_fkey;
CREATE TRIGGER billing_transactions_invoice_on_insert AFTER INSERT ON billing_transactions
    REFERENCING NEW TABLE AS written_transactions
    FOR EACH STATEMENT EXECUTE FUNCTION check_billing_transaction_invoices();
CREATE TRIGGER billing_transactions_invoice_on_update AFTER UPDATE ON billing_transactions
    REFERENCING NEW TABLE AS written_transactions
    FOR EACH STATEMENT EXECUTE FUNCTION check_billing_transaction_invoices();
