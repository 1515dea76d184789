-- The seller's postal address, which invoices print (EU Directive 2006/112/EC art. 226): a JSON
-- object as accounts store theirs.
ALTER TABLE tenants ADD COLUMN legal_entity_address jsonb;
