-- The event stream partners consume (PROTOCOL.md: events.subscribe, events.notify, events.ack,
-- events.list): durable consumers with the last sequence number each acknowledged, a NOTIFY at
-- commit of every statement that appends events (it wakes the servers pushing them), and an index
-- for retention's purge.

CREATE TABLE event_consumers (
    tenant_id bigint NOT NULL REFERENCES tenants (id),
    name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    -- The event types it receives; NULL: all.
    types text[],
    -- The last sequence number it acknowledged: it resumes after it.
    acked_seq bigint NOT NULL DEFAULT 0 CHECK (acked_seq >= 0),
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, name)
);
CALL enable_tenant_isolation('event_consumers');

CREATE FUNCTION notify_events() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path = public, pg_temp
    AS $$
DECLARE
    tenant bigint;
BEGIN
    FOR tenant IN SELECT DISTINCT tenant_id FROM appended LOOP
        PERFORM pg_notify('ledgerline_events', tenant::text);
    END LOOP;
    RETURN NULL;
END
$$;
CREATE TRIGGER events_notify AFTER INSERT ON events
    REFERENCING NEW TABLE AS appended
    FOR EACH STATEMENT EXECUTE FUNCTION notify_events();

CREATE INDEX events_occurred ON events (tenant_id, occurred_at);
