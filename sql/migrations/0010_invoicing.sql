-- Invoice runs and the documents they write: invoices, sales orders, sales receipts and credit
-- notes, with their lines, and the number series posting draws from.

CREATE TABLE invoice_runs (
    tenant_id bigint NOT NULL REFERENCES tenants (id),
    id bigint GENERATED ALWAYS AS IDENTITY,
    target_date date NOT NULL,
    invoice_date date NOT NULL,
    -- NULL: every account.
    account_ids bigint[],
    auto_post boolean NOT NULL DEFAULT false,
    -- Only the documents of invoicers in this bill group.
    bill_group text,
    -- What started it when not a person: the firing job's dedup key, `schedule:<name>:<occurrence>`,
    -- so each occurrence starts one run.
    origin text,
    status text NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'running', 'completed', 'failed')),
    -- Progress: hierarchies are invoiced in root order; every root up to this one is done.
    last_root_id bigint NOT NULL DEFAULT 0,
    documents integer NOT NULL DEFAULT 0,
    transactions integer NOT NULL DEFAULT 0,
    -- {"EUR": "1234.50", …}: the documents' totals per currency.
    amount_total jsonb NOT NULL DEFAULT '{}',
    error text,
    started_at timestamptz,
    finished_at timestamptz,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id),
    UNIQUE (tenant_id, origin)
);
CALL enable_tenant_isolation('invoice_runs');

CREATE TABLE invoices (
    tenant_id bigint NOT NULL REFERENCES tenants (id),
    id bigint GENERATED ALWAYS AS IDENTITY,
    run_id bigint,
    type text NOT NULL CHECK (type IN ('invoice', 'sales_order', 'sales_receipt', 'credit_note')),
    status text NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'posted', 'void')),
    -- Assigned when posted, from the series of the document's type and year; never reused.
    number text,
    -- The invoicer account the document is addressed to.
    account_id bigint NOT NULL,
    currency text NOT NULL REFERENCES currencies (code),
    invoice_date date NOT NULL,
    due_date date,
    payment_terms_days integer NOT NULL,
    bill_group text,
    subtotal numeric NOT NULL,
    tax_total numeric NOT NULL,
    total numeric NOT NULL,
    -- [{"category", "rate", "base", "amount"}] with decimal strings.
    tax_breakdown jsonb NOT NULL DEFAULT '[]',
    notes jsonb NOT NULL DEFAULT '[]',
    -- A credit note's invoice.
    credited_invoice_id bigint,
    posted_at timestamptz,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id),
    UNIQUE (tenant_id, number),
    FOREIGN KEY (tenant_id, run_id) REFERENCES invoice_runs (tenant_id, id),
    FOREIGN KEY (tenant_id, account_id) REFERENCES accounts (tenant_id, id),
    FOREIGN KEY (tenant_id, credited_invoice_id) REFERENCES invoices (tenant_id, id),
    CHECK (status <> 'posted' OR number IS NOT NULL),
    CHECK (status <> 'draft' OR number IS NULL)
);
CREATE INDEX invoices_account ON invoices (tenant_id, account_id);
CREATE INDEX invoices_run ON invoices (tenant_id, run_id);
CALL enable_tenant_isolation('invoices');

CREATE TABLE invoice_lines (
    tenant_id bigint NOT NULL REFERENCES tenants (id),
    invoice_id bigint NOT NULL,
    line_number integer NOT NULL,
    billing_transaction_id bigint,
    description text NOT NULL,
    period_start date,
    period_end date,
    quantity numeric(19, 6) NOT NULL,
    unit_price numeric(19, 6),
    amount numeric NOT NULL,
    tax_category text NOT NULL,
    -- The rates applied, in percent (several when compound): [{"category", "rate", "priority"}].
    tax_rates jsonb NOT NULL DEFAULT '[]',
    PRIMARY KEY (tenant_id, invoice_id, line_number),
    FOREIGN KEY (tenant_id, invoice_id) REFERENCES invoices (tenant_id, id),
    FOREIGN KEY (tenant_id, billing_transaction_id) REFERENCES billing_transactions (tenant_id, id)
);
CREATE INDEX invoice_lines_transaction ON invoice_lines (tenant_id, billing_transaction_id);
CALL enable_tenant_isolation('invoice_lines');

-- The last number used per series (e.g. INV-2026): posting takes the row lock, so numbers are
-- consecutive with no gap and no duplicate however many post at once.
CREATE TABLE document_sequences (
    tenant_id bigint NOT NULL REFERENCES tenants (id),
    series text NOT NULL,
    last_number bigint NOT NULL DEFAULT 0,
    PRIMARY KEY (tenant_id, series)
);
CALL enable_tenant_isolation('document_sequences');

ALTER TABLE billing_transactions
    ADD FOREIGN KEY (tenant_id, invoice_id) REFERENCES invoices (tenant_id, id);
