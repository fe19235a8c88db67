-- The audit trail is append-only for every role, the app's included: an UPDATE, DELETE or
-- TRUNCATE of "AuditEvent" raises. (The function body spells its semicolon as \073 because the
-- migration runner splits scripts on semicolons.)
CREATE FUNCTION manual_audit_event_append_only() RETURNS trigger LANGUAGE plpgsql AS E'BEGIN RAISE EXCEPTION ''AuditEvent is append-only: % refused'', TG_OP USING ERRCODE = ''insufficient_privilege''\073 END';

CREATE TRIGGER manual_audit_event_no_change BEFORE UPDATE OR DELETE ON "AuditEvent" FOR EACH ROW EXECUTE FUNCTION manual_audit_event_append_only();

CREATE TRIGGER manual_audit_event_no_truncate BEFORE TRUNCATE ON "AuditEvent" FOR EACH STATEMENT EXECUTE FUNCTION manual_audit_event_append_only();
