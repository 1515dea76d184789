-- Usage (BILLING.md §7): events partners record, each once per (tenant, event_id); the running
-- aggregate of each usage item's billing period; and what of it has been rated into billing
-- transactions. Rating only ever adds: a period rated again (usage recorded after it was rated)
-- gets a transaction for the difference, so no rated amount is changed and none billed twice.

-- How a usage process aggregates a period's events: their sum (default), their count, or their
-- largest quantity.
ALTER TABLE billing_processes
    ADD COLUMN aggregation text CHECK (aggregation IN ('sum', 'count', 'max')),
    ADD CONSTRAINT billing_processes_aggregation CHECK (aggregation IS NULL OR kind = 'usage');

-- The quantity a usage transaction rated (the item's quantity is not what it billed).
ALTER TABLE billing_transactions ADD COLUMN quantity numeric(19, 6);

CREATE TABLE usage_events (
    tenant_id bigint NOT NULL REFERENCES tenants (id),
    event_id text NOT NULL CHECK (length(event_id) BETWEEN 1 AND 200),
    order_item_id bigint NOT NULL,
    metric text NOT NULL,
    quantity numeric(19, 6) NOT NULL CHECK (quantity >= 0),
    occurred_at timestamptz NOT NULL,
    -- The tenant's day it occurred on, and the item's billing period that day falls in.
    day date NOT NULL,
    period_start date NOT NULL,
    properties jsonb,
    recorded_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, event_id)
);
CALL enable_tenant_isolation('usage_events');

-- One row per usage item and billing period with events: the aggregate so far, the value rated
-- so far (NULL: never rated), and whether events came after the last rating. Recording locks the
-- row it adds to, and so does rating. (Events have no foreign key of their own, which would look
-- up the item once per event: each is written with its period's row, which has one.)
CREATE TABLE usage_periods (
    tenant_id bigint NOT NULL REFERENCES tenants (id),
    order_item_id bigint NOT NULL,
    period_start date NOT NULL,
    period_end date NOT NULL,
    quantity_sum numeric NOT NULL DEFAULT 0,
    event_count bigint NOT NULL DEFAULT 0,
    quantity_max numeric NOT NULL DEFAULT 0,
    rated_quantity numeric,
    ratings integer NOT NULL DEFAULT 0,
    unrated boolean NOT NULL DEFAULT true,
    updated_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, order_item_id, period_start),
    FOREIGN KEY (tenant_id, order_item_id) REFERENCES order_items (tenant_id, id),
    CHECK (period_end >= period_start)
);
CREATE INDEX usage_periods_unrated ON usage_periods (tenant_id, period_end) WHERE unrated;
CALL enable_tenant_isolation('usage_periods');
