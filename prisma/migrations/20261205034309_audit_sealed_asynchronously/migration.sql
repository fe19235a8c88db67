-- The audit chain is sealed asynchronously: a business transaction inserts its audit event
-- unchained (no lock), and one sealer at a time (audit-sealer.ts) gives the committed events
-- their place in the chain ("chainSeq", gapless) and their hashes, in commit order, within a
-- second. See README "Security".

-- AlterTable
ALTER TABLE "AuditEvent" ADD COLUMN     "chainSeq" BIGINT,
ADD COLUMN     "sealedAt" TIMESTAMP(3),
ALTER COLUMN "rowHash" DROP NOT NULL;

-- CreateIndex
CREATE UNIQUE INDEX "AuditEvent_chainSeq_key" ON "AuditEvent"("chainSeq");

-- The events the sealer has still to chain: few at any time, found without scanning the trail.
CREATE INDEX manual_audit_event_unsealed ON "AuditEvent"(id) WHERE "chainSeq" IS NULL;

-- Events chained before this migration were chained in id order: that order is their place.
ALTER TABLE "AuditEvent" DISABLE TRIGGER manual_audit_event_no_change;
UPDATE "AuditEvent" e SET "chainSeq" = n.seq, "sealedAt" = e."occurredAt"
FROM (SELECT id, row_number() OVER (ORDER BY id) AS seq FROM "AuditEvent") n WHERE e.id = n.id;
ALTER TABLE "AuditEvent" ENABLE TRIGGER manual_audit_event_no_change;

-- Still append-only for every role, with one exception: sealing an unsealed event, which sets
-- its place and hashes once and may not touch anything else. (Semicolons in the body are
-- spelled \073 because the migration runner splits scripts on semicolons.)
CREATE OR REPLACE FUNCTION manual_audit_event_append_only() RETURNS trigger LANGUAGE plpgsql AS E'
BEGIN
  IF TG_OP = ''UPDATE'' AND OLD."chainSeq" IS NULL AND OLD."rowHash" IS NULL
     AND NEW."chainSeq" IS NOT NULL AND NEW."rowHash" IS NOT NULL AND NEW."sealedAt" IS NOT NULL
     AND to_jsonb(NEW) - ''chainSeq'' - ''prevHash'' - ''rowHash'' - ''sealedAt''
       = to_jsonb(OLD) - ''chainSeq'' - ''prevHash'' - ''rowHash'' - ''sealedAt'' THEN
    RETURN NEW\073
  END IF\073
  RAISE EXCEPTION ''AuditEvent is append-only: % refused'', TG_OP USING ERRCODE = ''insufficient_privilege''\073
END';
