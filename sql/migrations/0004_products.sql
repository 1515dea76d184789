-- The product catalog: products and the services they are billed through.

CREATE TABLE products (
    tenant_id bigint NOT NULL REFERENCES tenants (id),
    id bigint GENERATED ALWAYS AS IDENTITY,
    external_id text CHECK (length(external_id) BETWEEN 1 AND 200),
    code text NOT NULL CHECK (code ~ '^[A-Za-z0-9_.-]{1,100}$'),
    name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    version integer NOT NULL DEFAULT 1,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id),
    UNIQUE (tenant_id, code),
    UNIQUE (tenant_id, external_id)
);
CALL enable_tenant_isolation('products');

-- A product's billable parts: each is recurring, one-time or usage, with its own tax category,
-- unit and pricing model.
CREATE TABLE product_services (
    tenant_id bigint NOT NULL REFERENCES tenants (id),
    product_id bigint NOT NULL,
    code text NOT NULL CHECK (code ~ '^[A-Za-z0-9_.-]{1,100}$'),
    name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    kind text NOT NULL CHECK (kind IN ('recurring', 'one_time', 'usage')),
    tax_category text NOT NULL DEFAULT 'standard' CHECK (length(tax_category) BETWEEN 1 AND 50),
    unit text CHECK (length(unit) BETWEEN 1 AND 50),
    pricing_model text NOT NULL DEFAULT 'per_unit'
        CHECK (pricing_model IN ('per_unit', 'package', 'volume', 'graduated')),
    position integer NOT NULL,
    PRIMARY KEY (tenant_id, product_id, code),
    FOREIGN KEY (tenant_id, product_id) REFERENCES products (tenant_id, id) ON DELETE CASCADE
);
CALL enable_tenant_isolation('product_services');
