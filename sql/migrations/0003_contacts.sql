-- Contacts, shareable between accounts: each link carries the contact's roles for that account.

CREATE TABLE contacts (
    tenant_id bigint NOT NULL REFERENCES tenants (id),
    id bigint GENERATED ALWAYS AS IDENTITY,
    external_id text CHECK (length(external_id) BETWEEN 1 AND 200),
    name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    email text CHECK (length(email) <= 254),
    phone text CHECK (length(phone) <= 40),
    version integer NOT NULL DEFAULT 1,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id),
    UNIQUE (tenant_id, external_id)
);
CALL enable_tenant_isolation('contacts');

CREATE TABLE account_contacts (
    tenant_id bigint NOT NULL REFERENCES tenants (id),
    account_id bigint NOT NULL,
    contact_id bigint NOT NULL,
    roles text[] NOT NULL DEFAULT '{}' CHECK (roles <@ ARRAY['billing', 'shipping', 'primary']::text[]),
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, account_id, contact_id),
    FOREIGN KEY (tenant_id, account_id) REFERENCES accounts (tenant_id, id),
    FOREIGN KEY (tenant_id, contact_id) REFERENCES contacts (tenant_id, id)
);
CREATE INDEX account_contacts_contact ON account_contacts (tenant_id, contact_id);
-- An account has at most one billing contact.
CREATE UNIQUE INDEX account_contacts_one_billing ON account_contacts (tenant_id, account_id)
    WHERE 'billing' = ANY (roles);
CALL enable_tenant_isolation('account_contacts');
