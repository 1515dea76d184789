-- Price books: lists of prices in one currency; one of them per currency is the default.

CREATE TABLE price_books (
    tenant_id bigint NOT NULL REFERENCES tenants (id),
    id bigint GENERATED ALWAYS AS IDENTITY,
    external_id text CHECK (length(external_id) BETWEEN 1 AND 200),
    name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    currency text NOT NULL REFERENCES currencies (code),
    is_default boolean NOT NULL DEFAULT false,
    version integer NOT NULL DEFAULT 1,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id),
    UNIQUE (tenant_id, external_id)
);
CREATE UNIQUE INDEX price_books_one_default ON price_books (tenant_id, currency) WHERE is_default;
CALL enable_tenant_isolation('price_books');
