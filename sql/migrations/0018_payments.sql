-- Receivables: payments an account made, their allocation (and credit notes') to invoices, and
-- refunds. An invoice's status follows what is allocated to it: posted, partially_paid, paid.
-- The allocated amounts are kept on the payment and on the documents, under the same row locks
-- as the allocations, so a balance is read without summing.

ALTER TABLE invoices DROP CONSTRAINT invoices_status_check;
ALTER TABLE invoices
    ADD CONSTRAINT invoices_status_check
        CHECK (status IN ('draft', 'posted', 'partially_paid', 'paid', 'void')),
    ADD CONSTRAINT invoices_numbered CHECK (status = 'draft' OR number IS NOT NULL),
    -- An invoice: what payments and credit notes paid of it. A credit note: what of it was applied.
    ADD COLUMN amount_allocated numeric NOT NULL DEFAULT 0 CHECK (amount_allocated >= 0);
CREATE INDEX invoices_open ON invoices (tenant_id, account_id, due_date)
    WHERE type = 'invoice' AND status IN ('posted', 'partially_paid');

CREATE TABLE payments (
    tenant_id bigint NOT NULL REFERENCES tenants (id),
    id bigint GENERATED ALWAYS AS IDENTITY,
    account_id bigint NOT NULL,
    currency text NOT NULL REFERENCES currencies (code),
    amount numeric NOT NULL CHECK (amount > 0),
    method text NOT NULL CHECK (method IN ('bank_transfer', 'card', 'direct_debit', 'check', 'cash', 'other')),
    reference text CHECK (length(reference) BETWEEN 1 AND 200),
    received_on date NOT NULL,
    allocated numeric NOT NULL DEFAULT 0 CHECK (allocated >= 0),
    refunded numeric NOT NULL DEFAULT 0 CHECK (refunded >= 0),
    version integer NOT NULL DEFAULT 1,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, account_id) REFERENCES accounts (tenant_id, id),
    CHECK (allocated + refunded <= amount)
);
CREATE INDEX payments_account ON payments (tenant_id, account_id, received_on);
CALL enable_tenant_isolation('payments');

-- What a payment or a credit note paid of an invoice. Unallocating deletes the row.
CREATE TABLE payment_allocations (
    tenant_id bigint NOT NULL REFERENCES tenants (id),
    id bigint GENERATED ALWAYS AS IDENTITY,
    payment_id bigint,
    credit_note_id bigint,
    invoice_id bigint NOT NULL,
    amount numeric NOT NULL CHECK (amount > 0),
    allocated_on date NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, payment_id) REFERENCES payments (tenant_id, id),
    FOREIGN KEY (tenant_id, credit_note_id) REFERENCES invoices (tenant_id, id),
    FOREIGN KEY (tenant_id, invoice_id) REFERENCES invoices (tenant_id, id),
    CHECK ((payment_id IS NULL) <> (credit_note_id IS NULL))
);
CREATE INDEX payment_allocations_payment ON payment_allocations (tenant_id, payment_id) WHERE payment_id IS NOT NULL;
CREATE INDEX payment_allocations_credit_note ON payment_allocations (tenant_id, credit_note_id)
    WHERE credit_note_id IS NOT NULL;
CREATE INDEX payment_allocations_invoice ON payment_allocations (tenant_id, invoice_id);
CALL enable_tenant_isolation('payment_allocations');

CREATE TABLE payment_refunds (
    tenant_id bigint NOT NULL REFERENCES tenants (id),
    id bigint GENERATED ALWAYS AS IDENTITY,
    payment_id bigint NOT NULL,
    amount numeric NOT NULL CHECK (amount > 0),
    refunded_on date NOT NULL,
    reference text CHECK (length(reference) BETWEEN 1 AND 200),
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, payment_id) REFERENCES payments (tenant_id, id)
);
CREATE INDEX payment_refunds_payment ON payment_refunds (tenant_id, payment_id);
CALL enable_tenant_isolation('payment_refunds');
