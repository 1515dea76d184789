-- The sales flow (DESIGN.md 4, BILLING.md §6, §11): each tenant's sales settings, opportunities
-- with line items and product schedules, quotes that snapshot them, and renewals. An opportunity
-- links the one order winning it created (and a renewal the order it renews): both links are
-- unique, so no opportunity ever makes two orders and no order term two renewals.

-- Absent row: the defaults (the six standard stages, orders on won, renewals 30 days ahead at the
-- order's prices, no renewal quote, quotes valid 30 days).
CREATE TABLE sales_settings (
    tenant_id bigint PRIMARY KEY REFERENCES tenants (id),
    -- [{"name": "prospecting", "outcome": "open"}, …]: one won stage, at least one open and one lost.
    stages jsonb NOT NULL,
    create_order_on_won boolean NOT NULL DEFAULT true,
    renewal_lead_days integer NOT NULL DEFAULT 30 CHECK (renewal_lead_days BETWEEN 0 AND 366),
    renewal_pricing text NOT NULL DEFAULT 'same' CHECK (renewal_pricing IN ('same', 'list', 'uplift')),
    renewal_uplift_percent numeric(9, 4) CHECK (renewal_uplift_percent BETWEEN 0 AND 1000),
    renewal_auto_quote boolean NOT NULL DEFAULT false,
    quote_validity_days integer NOT NULL DEFAULT 30 CHECK (quote_validity_days BETWEEN 1 AND 366),
    version integer NOT NULL DEFAULT 1,
    updated_at timestamptz NOT NULL DEFAULT now(),
    CHECK ((renewal_pricing = 'uplift') = (renewal_uplift_percent IS NOT NULL))
);
CALL enable_tenant_isolation('sales_settings');

CREATE TABLE opportunities (
    tenant_id bigint NOT NULL REFERENCES tenants (id),
    id bigint GENERATED ALWAYS AS IDENTITY,
    external_id text CHECK (length(external_id) BETWEEN 1 AND 200),
    account_id bigint NOT NULL,
    name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    currency text NOT NULL REFERENCES currencies (code),
    price_book_id bigint,
    stage text NOT NULL,
    -- The outcome of the stage when it was set: open, won or lost.
    outcome text NOT NULL CHECK (outcome IN ('open', 'won', 'lost')),
    close_date date NOT NULL,
    -- The order's term: from start_date (through end_date, when it ends).
    start_date date NOT NULL,
    end_date date,
    order_type text NOT NULL DEFAULT 'subscription'
        CHECK (order_type IN ('subscription', 'investment', 'advertising')),
    order_id bigint,
    renewal_of_order_id bigint,
    closed_at timestamptz,
    version integer NOT NULL DEFAULT 1,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id),
    UNIQUE (tenant_id, external_id),
    UNIQUE (tenant_id, order_id),
    UNIQUE (tenant_id, renewal_of_order_id),
    FOREIGN KEY (tenant_id, account_id) REFERENCES accounts (tenant_id, id),
    FOREIGN KEY (tenant_id, price_book_id) REFERENCES price_books (tenant_id, id),
    FOREIGN KEY (tenant_id, order_id) REFERENCES orders (tenant_id, id),
    FOREIGN KEY (tenant_id, renewal_of_order_id) REFERENCES orders (tenant_id, id),
    CHECK (end_date IS NULL OR end_date >= start_date)
);
CREATE INDEX opportunities_account ON opportunities (tenant_id, account_id, id);
CALL enable_tenant_isolation('opportunities');

-- A line item: its price as the catalog gave it (or as overridden) and the discount on it.
CREATE TABLE opportunity_items (
    tenant_id bigint NOT NULL REFERENCES tenants (id),
    id bigint GENERATED ALWAYS AS IDENTITY,
    opportunity_id bigint NOT NULL,
    position integer NOT NULL,
    product_id bigint NOT NULL,
    service_code text NOT NULL,
    billing_process_id bigint NOT NULL,
    quantity numeric(19, 6) NOT NULL CHECK (quantity > 0),
    pricing_model text NOT NULL CHECK (pricing_model IN ('per_unit', 'package', 'volume', 'graduated')),
    unit_price numeric(19, 6),
    package_size numeric(19, 6),
    included_quantity numeric(19, 6) NOT NULL DEFAULT 0,
    tiers jsonb,
    price_source text NOT NULL CHECK (price_source IN ('explicit', 'price_plan', 'price_book', 'default_price_book')),
    price_id bigint,
    discount_percent numeric(5, 2) NOT NULL DEFAULT 0 CHECK (discount_percent BETWEEN 0 AND 100),
    -- The line's total in the opportunity's currency: its schedule's revenue when it has one.
    amount numeric NOT NULL,
    start_date date,
    end_date date,
    -- The product schedule: its type and the request that made it; its installments below.
    schedule_type text CHECK (schedule_type IN ('quantity', 'revenue', 'both')),
    schedule jsonb,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, opportunity_id) REFERENCES opportunities (tenant_id, id),
    FOREIGN KEY (tenant_id, product_id, service_code) REFERENCES product_services (tenant_id, product_id, code),
    FOREIGN KEY (tenant_id, price_id) REFERENCES prices (tenant_id, id),
    FOREIGN KEY (tenant_id, billing_process_id) REFERENCES billing_processes (tenant_id, id),
    CHECK (end_date IS NULL OR start_date IS NULL OR end_date >= start_date),
    CHECK ((schedule_type IS NULL) = (schedule IS NULL))
);
CREATE INDEX opportunity_items_opportunity ON opportunity_items (tenant_id, opportunity_id, position);
CALL enable_tenant_isolation('opportunity_items');

-- The dated installments of a line's schedule; they sum to the line's quantity and amount.
CREATE TABLE opportunity_schedule_installments (
    tenant_id bigint NOT NULL REFERENCES tenants (id),
    item_id bigint NOT NULL,
    position smallint NOT NULL CHECK (position BETWEEN 0 AND 149),
    date date NOT NULL,
    quantity numeric(19, 2),
    revenue numeric,
    PRIMARY KEY (tenant_id, item_id, position),
    FOREIGN KEY (tenant_id, item_id) REFERENCES opportunity_items (tenant_id, id) ON DELETE CASCADE,
    CHECK (quantity IS NOT NULL OR revenue IS NOT NULL)
);
CALL enable_tenant_isolation('opportunity_schedule_installments');

CREATE TABLE quotes (
    tenant_id bigint NOT NULL REFERENCES tenants (id),
    id bigint GENERATED ALWAYS AS IDENTITY,
    opportunity_id bigint NOT NULL,
    account_id bigint NOT NULL,
    currency text NOT NULL REFERENCES currencies (code),
    status text NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'sent', 'accepted', 'rejected')),
    expires_on date NOT NULL,
    -- The estimate's tax date (the order's start) and what it came to.
    tax_date date NOT NULL,
    subtotal numeric NOT NULL,
    tax_total numeric NOT NULL,
    total numeric NOT NULL,
    -- [{"category", "rate", "base", "amount"}, …] and the treatment's mention, as invoices print them.
    tax_breakdown jsonb NOT NULL,
    notes jsonb NOT NULL DEFAULT '[]',
    rejection_reason text,
    order_id bigint,
    sent_at timestamptz,
    decided_at timestamptz,
    version integer NOT NULL DEFAULT 1,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id),
    UNIQUE (tenant_id, order_id),
    FOREIGN KEY (tenant_id, opportunity_id) REFERENCES opportunities (tenant_id, id),
    FOREIGN KEY (tenant_id, account_id) REFERENCES accounts (tenant_id, id),
    FOREIGN KEY (tenant_id, order_id) REFERENCES orders (tenant_id, id),
    CHECK (subtotal + tax_total = total)
);
CREATE INDEX quotes_opportunity ON quotes (tenant_id, opportunity_id, id);
CALL enable_tenant_isolation('quotes');

-- A quote's lines as they were when it was made: later changes to the opportunity leave it as sent.
CREATE TABLE quote_lines (
    tenant_id bigint NOT NULL REFERENCES tenants (id),
    quote_id bigint NOT NULL,
    position integer NOT NULL,
    product_id bigint NOT NULL,
    service_code text NOT NULL,
    description text NOT NULL,
    billing_process_id bigint NOT NULL,
    quantity numeric(19, 6) NOT NULL,
    pricing_model text NOT NULL,
    unit_price numeric(19, 6),
    package_size numeric(19, 6),
    included_quantity numeric(19, 6) NOT NULL,
    tiers jsonb,
    price_source text NOT NULL,
    price_id bigint,
    discount_percent numeric(5, 2) NOT NULL,
    amount numeric NOT NULL,
    tax_category text NOT NULL,
    start_date date,
    end_date date,
    PRIMARY KEY (tenant_id, quote_id, position),
    FOREIGN KEY (tenant_id, quote_id) REFERENCES quotes (tenant_id, id),
    FOREIGN KEY (tenant_id, product_id, service_code) REFERENCES product_services (tenant_id, product_id, code),
    FOREIGN KEY (tenant_id, billing_process_id) REFERENCES billing_processes (tenant_id, id)
);
CALL enable_tenant_isolation('quote_lines');

-- Renewal scan: active orders that end, by end date.
CREATE INDEX orders_ending ON orders (tenant_id, end_date) WHERE status = 'active' AND end_date IS NOT NULL;

-- The order an opportunity or a quote became is theirs for good: once set, the link never changes.
CREATE FUNCTION refuse_order_relink() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path = public, pg_temp
    AS $$
BEGIN
    RAISE EXCEPTION '% % already became order %', TG_TABLE_NAME, OLD.id, OLD.order_id
        USING ERRCODE = 'restrict_violation', TABLE = TG_TABLE_NAME;
END
$$;
CREATE TRIGGER opportunities_order_kept BEFORE UPDATE OF order_id ON opportunities
    FOR EACH ROW WHEN (OLD.order_id IS NOT NULL AND NEW.order_id IS DISTINCT FROM OLD.order_id)
    EXECUTE FUNCTION refuse_order_relink();
CREATE TRIGGER quotes_order_kept BEFORE UPDATE OF order_id ON quotes
    FOR EACH ROW WHEN (OLD.order_id IS NOT NULL AND NEW.order_id IS DISTINCT FROM OLD.order_id)
    EXECUTE FUNCTION refuse_order_relink();
