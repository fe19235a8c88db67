-- Hand-written: an IP_ADDRESS identifier must be an IP address. Triage casts these values to
-- inet inside the transaction that makes a report visible, and this check makes that cast safe
-- by refusing a bad value when it is written, not when a report is being finished.
-- (No semicolon may appear in these comments: the migration runner splits on them.)
ALTER TABLE "PartyIdentifier" ADD CONSTRAINT "manual_PartyIdentifier_ip_address_valid"
  CHECK (kind <> 'IP_ADDRESS' OR host(value::inet) IS NOT NULL);
