-- Billing processes, orders with their items, and the billing transactions activation writes.

-- How an item bills: recurring periods, once, an installment plan, or measured usage.
CREATE TABLE billing_processes (
    tenant_id bigint NOT NULL REFERENCES tenants (id),
    id bigint GENERATED ALWAYS AS IDENTITY,
    external_id text CHECK (length(external_id) BETWEEN 1 AND 200),
    name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    kind text NOT NULL CHECK (kind IN ('recurring', 'one_time', 'installments', 'usage')),
    frequency text CHECK (frequency IN ('monthly', 'quarterly', 'semiannual', 'annual')),
    timing text NOT NULL DEFAULT 'advance' CHECK (timing IN ('advance', 'arrears')),
    billing_day smallint CHECK (billing_day BETWEEN 1 AND 31),
    credit_policy text NOT NULL DEFAULT 'prorate' CHECK (credit_policy IN ('prorate', 'none')),
    -- installments: [{"percent": "30", "offset_days": 0 | "offset_months": 1 | "milestone": "go-live"}, …]
    plan jsonb,
    version integer NOT NULL DEFAULT 1,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id),
    UNIQUE (tenant_id, external_id),
    CHECK ((kind IN ('recurring', 'usage')) = (frequency IS NOT NULL)),
    CHECK ((kind = 'installments') = (plan IS NOT NULL)),
    CHECK (kind <> 'usage' OR timing = 'arrears')
);
CALL enable_tenant_isolation('billing_processes');

CREATE TABLE orders (
    tenant_id bigint NOT NULL REFERENCES tenants (id),
    id bigint GENERATED ALWAYS AS IDENTITY,
    external_id text CHECK (length(external_id) BETWEEN 1 AND 200),
    account_id bigint NOT NULL,
    type text NOT NULL CHECK (type IN ('subscription', 'investment', 'advertising')),
    currency text NOT NULL REFERENCES currencies (code),
    price_book_id bigint,
    start_date date NOT NULL,
    end_date date,
    -- The day of month recurring items bill on: the account's effective billing day, else the start's day.
    billing_day smallint NOT NULL CHECK (billing_day BETWEEN 1 AND 31),
    generate text NOT NULL DEFAULT 'invoice' CHECK (generate IN ('invoice', 'sales_order', 'sales_receipt')),
    status text NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'active', 'cancelled')),
    activated_at timestamptz,
    version integer NOT NULL DEFAULT 1,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id),
    UNIQUE (tenant_id, external_id),
    FOREIGN KEY (tenant_id, account_id) REFERENCES accounts (tenant_id, id),
    FOREIGN KEY (tenant_id, price_book_id) REFERENCES price_books (tenant_id, id),
    CHECK (end_date IS NULL OR end_date >= start_date)
);
CREATE INDEX orders_account ON orders (tenant_id, account_id, status);
CALL enable_tenant_isolation('orders');

-- One service of a product on an order, with the price frozen when it was added.
CREATE TABLE order_items (
    tenant_id bigint NOT NULL REFERENCES tenants (id),
    id bigint GENERATED ALWAYS AS IDENTITY,
    order_id bigint NOT NULL,
    product_id bigint NOT NULL,
    service_code text NOT NULL,
    quantity numeric(19, 6) NOT NULL CHECK (quantity > 0),
    -- The frozen price: pricing_model with unit_price / package_size / tiers as in prices, for one
    -- period of the billing process (recurring items).
    pricing_model text NOT NULL CHECK (pricing_model IN ('per_unit', 'package', 'volume', 'graduated')),
    unit_price numeric(19, 6),
    package_size numeric(19, 6),
    included_quantity numeric(19, 6) NOT NULL DEFAULT 0,
    tiers jsonb,
    price_source text NOT NULL CHECK (price_source IN ('explicit', 'price_plan', 'price_book', 'default_price_book')),
    price_id bigint,
    billing_process_id bigint NOT NULL,
    start_date date NOT NULL,
    end_date date,
    -- The item's own start date, when it gave one: a one-time item is billed on it, else on activation.
    service_date date,
    billing_day smallint NOT NULL CHECK (billing_day BETWEEN 1 AND 31),
    status text NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'active', 'terminated')),
    -- Open-ended recurring items: periods starting through this day have transactions.
    billed_through date,
    activated_on date,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, order_id) REFERENCES orders (tenant_id, id),
    FOREIGN KEY (tenant_id, product_id, service_code) REFERENCES product_services (tenant_id, product_id, code),
    FOREIGN KEY (tenant_id, price_id) REFERENCES prices (tenant_id, id),
    FOREIGN KEY (tenant_id, billing_process_id) REFERENCES billing_processes (tenant_id, id),
    CHECK (end_date IS NULL OR end_date >= start_date)
);
CREATE INDEX order_items_order ON order_items (tenant_id, order_id);
CREATE INDEX order_items_service ON order_items (tenant_id, product_id, service_code);
CREATE INDEX order_items_open ON order_items (tenant_id, billed_through) WHERE status = 'active' AND end_date IS NULL;
CALL enable_tenant_isolation('order_items');

-- What will be invoiced: one row per period, installment, one-time charge or credit. The key is
-- unique per item, so writing an item's plan again (activating twice, extending the horizon)
-- adds nothing: an item is never billed twice for the same thing.
CREATE TABLE billing_transactions (
    tenant_id bigint NOT NULL REFERENCES tenants (id),
    id bigint GENERATED ALWAYS AS IDENTITY,
    order_id bigint NOT NULL,
    order_item_id bigint NOT NULL,
    account_id bigint NOT NULL,
    key text NOT NULL,
    kind text NOT NULL CHECK (kind IN ('recurring', 'one_time', 'installment', 'credit', 'usage')),
    billing_date date,
    milestone text,
    period_start date,
    period_end date,
    amount numeric NOT NULL,
    currency text NOT NULL REFERENCES currencies (code),
    status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'invoiced', 'cancelled')),
    invoice_id bigint,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id),
    UNIQUE (tenant_id, order_item_id, key),
    FOREIGN KEY (tenant_id, order_id) REFERENCES orders (tenant_id, id),
    FOREIGN KEY (tenant_id, order_item_id) REFERENCES order_items (tenant_id, id),
    FOREIGN KEY (tenant_id, account_id) REFERENCES accounts (tenant_id, id),
    CHECK (billing_date IS NOT NULL OR milestone IS NOT NULL)
);
CREATE INDEX billing_transactions_due ON billing_transactions (tenant_id, billing_date) WHERE status = 'pending';
CREATE INDEX billing_transactions_order ON billing_transactions (tenant_id, order_id);
CREATE INDEX billing_transactions_account ON billing_transactions (tenant_id, account_id, billing_date);
CALL enable_tenant_isolation('billing_transactions');
