-- VAT rates by country and tax category, each valid over a range of days. Rates of a higher
-- priority are compound (they tax the net plus the lower priorities' taxes).

CREATE EXTENSION IF NOT EXISTS btree_gist;

CREATE TABLE tax_rates (
    tenant_id bigint NOT NULL REFERENCES tenants (id),
    id bigint GENERATED ALWAYS AS IDENTITY,
    name text CHECK (length(name) BETWEEN 1 AND 200),
    country text NOT NULL CHECK (country ~ '^[A-Z]{2}$'),
    tax_category text NOT NULL CHECK (length(tax_category) BETWEEN 1 AND 50),
    -- In percent: 20 for 20%.
    rate numeric(9, 6) NOT NULL CHECK (rate >= 0 AND rate <= 100),
    priority smallint NOT NULL DEFAULT 0 CHECK (priority BETWEEN 0 AND 9),
    valid_from date NOT NULL,
    -- The last day it applies; NULL: until further notice.
    valid_to date,
    version integer NOT NULL DEFAULT 1,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id),
    CHECK (valid_to IS NULL OR valid_to >= valid_from),
    -- Two rates of one country, category and priority never apply on the same day.
    EXCLUDE USING gist (
        tenant_id WITH =, country WITH =, tax_category WITH =, priority WITH =,
        daterange(valid_from, valid_to, '[]') WITH &&)
);
CALL enable_tenant_isolation('tax_rates');
