-- Prices: what one service of a product costs from a day on, either as a list price in a price
-- book or as a negotiated price in an account's price plan. Entries are never updated or deleted
-- (billing_app may not): a new price is a new entry with a later effective_from, so the price
-- of any past day can be read again.

-- The tenant's calendar day now, in the tenant's time zone.
CREATE FUNCTION tenant_today() RETURNS date
    LANGUAGE sql STABLE
    AS $$ SELECT (now() AT TIME ZONE timezone)::date FROM tenants WHERE id = current_tenant_id() $$;

CREATE TABLE prices (
    tenant_id bigint NOT NULL REFERENCES tenants (id),
    id bigint GENERATED ALWAYS AS IDENTITY,
    price_book_id bigint,
    account_id bigint,
    product_id bigint NOT NULL,
    service_code text NOT NULL,
    currency text NOT NULL REFERENCES currencies (code),
    pricing_model text NOT NULL CHECK (pricing_model IN ('per_unit', 'package', 'volume', 'graduated')),
    -- per_unit: the price of a unit; package: the price of a package of package_size units.
    unit_price numeric(19, 6) CHECK (unit_price >= 0),
    package_size numeric(19, 6) CHECK (package_size > 0),
    included_quantity numeric(19, 6) NOT NULL DEFAULT 0 CHECK (included_quantity >= 0),
    -- Recurring services only: the period the price is for.
    frequency text CHECK (frequency IN ('monthly', 'quarterly', 'semiannual', 'annual')),
    -- volume and graduated: [{"up_to": "10"|null, "unit_price": "0.5", "flat_fee": "0"}, …],
    -- decimals as exact text (cast with ::numeric).
    tiers jsonb CHECK (jsonb_typeof(tiers) = 'array'),
    effective_from date NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id),
    CHECK (num_nonnulls(price_book_id, account_id) = 1),
    CHECK (CASE pricing_model
        WHEN 'per_unit' THEN unit_price IS NOT NULL AND package_size IS NULL AND tiers IS NULL
        WHEN 'package' THEN unit_price IS NOT NULL AND package_size IS NOT NULL AND tiers IS NULL
        ELSE tiers IS NOT NULL AND unit_price IS NULL AND package_size IS NULL
    END),
    FOREIGN KEY (tenant_id, price_book_id) REFERENCES price_books (tenant_id, id),
    FOREIGN KEY (tenant_id, account_id) REFERENCES accounts (tenant_id, id),
    FOREIGN KEY (tenant_id, product_id, service_code) REFERENCES product_services (tenant_id, product_id, code)
);
-- One entry per book, service and day; a plan has one per currency too, since an account's
-- currency may change before it is billed.
CREATE UNIQUE INDEX prices_book_entry ON prices (tenant_id, price_book_id, product_id, service_code, effective_from)
    WHERE price_book_id IS NOT NULL;
CREATE UNIQUE INDEX prices_plan_entry
    ON prices (tenant_id, account_id, product_id, service_code, currency, effective_from)
    WHERE account_id IS NOT NULL;
CREATE INDEX prices_product ON prices (tenant_id, product_id, service_code);
CALL enable_tenant_isolation('prices');
REVOKE UPDATE, DELETE, TRUNCATE ON prices FROM billing_app;
