-- 0018 required a number of every document but drafts, and a draft that is voided keeps none:
-- voiding a draft failed. A void document may be unnumbered (a voided draft) or numbered (a voided
-- posted one).
ALTER TABLE invoices DROP CONSTRAINT invoices_numbered;
ALTER TABLE invoices ADD CONSTRAINT invoices_numbered CHECK (status IN ('draft', 'void') OR number IS NOT NULL);
