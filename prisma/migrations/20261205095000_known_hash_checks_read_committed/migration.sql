-- Two corrections to known_hash_statement_checks (found in review).
--
-- 1. Deleting, renumbering or truncating a hash set or series is refused unless the transaction
--    runs at READ COMMITTED. The triggers' check for hashes that still refer to the row is an
--    ordinary query: at READ COMMITTED it sees hashes committed while the delete waited for
--    their lock, but at REPEATABLE READ or SERIALIZABLE it reads the transaction's older
--    snapshot and would let the delete leave hashes without their set (a foreign key's check
--    uses a special snapshot that a trigger cannot). The app never deletes or renumbers either
--    (the console offers no such action), so this only stops hand-written SQL that could break
--    the catalog.
-- 2. An UPDATE of "KnownHash" is checked per row, and only when it changes "hashSetId" or
--    "seriesId" (as a foreign key's check was), instead of collecting every updated row of every
--    UPDATE statement into a transition table.
-- (Semicolons in the function bodies are spelled \073: the migration runner splits on them.)

CREATE OR REPLACE FUNCTION manual_catalog_referenced_deleted() RETURNS trigger LANGUAGE plpgsql AS E'
DECLARE
  used int\073
BEGIN
  IF current_setting(''transaction_isolation'') <> ''read committed'' THEN
    RAISE EXCEPTION ''deleting from "%" needs READ COMMITTED isolation'', TG_TABLE_NAME
      USING ERRCODE = ''feature_not_supported'', TABLE = TG_TABLE_NAME,
            HINT = ''Hashes in "KnownHash" refer to it and are checked at READ COMMITTED only.''\073
  END IF\073
  IF TG_TABLE_NAME = ''HashSet'' THEN
    SELECT g.id INTO used FROM old_rows g WHERE EXISTS (SELECT 1 FROM "KnownHash" k WHERE k."hashSetId" = g.id) LIMIT 1\073
    IF used IS NOT NULL THEN
      RAISE EXCEPTION ''update or delete on table "HashSet" violates the reference from "KnownHash"''
        USING ERRCODE = ''foreign_key_violation'', TABLE = ''HashSet'',
              DETAIL = format(''Hash set %s still has hashes in the catalog.'', used)\073
    END IF\073
  ELSE
    UPDATE "KnownHash" k SET "seriesId" = NULL FROM old_rows g WHERE k."seriesId" = g.id\073
  END IF\073
  RETURN NULL\073
END';

CREATE OR REPLACE FUNCTION manual_catalog_referenced_kept() RETURNS trigger LANGUAGE plpgsql AS E'
BEGIN
  IF current_setting(''transaction_isolation'') <> ''read committed'' THEN
    RAISE EXCEPTION ''% of "%" needs READ COMMITTED isolation'', CASE TG_OP WHEN ''UPDATE'' THEN ''changing an id'' ELSE ''TRUNCATE'' END, TG_TABLE_NAME
      USING ERRCODE = ''feature_not_supported'', TABLE = TG_TABLE_NAME,
            HINT = ''Hashes in "KnownHash" refer to it and are checked at READ COMMITTED only.''\073
  END IF\073
  IF TG_OP = ''UPDATE'' THEN
    IF (TG_TABLE_NAME = ''HashSet'' AND EXISTS (SELECT 1 FROM "KnownHash" WHERE "hashSetId" = OLD.id))
       OR (TG_TABLE_NAME = ''Series'' AND EXISTS (SELECT 1 FROM "KnownHash" WHERE "seriesId" = OLD.id)) THEN
      RAISE EXCEPTION ''update on table "%" violates the reference from "KnownHash"'', TG_TABLE_NAME
        USING ERRCODE = ''foreign_key_violation'', TABLE = TG_TABLE_NAME,
              DETAIL = format(''Id %s still has hashes in the catalog.'', OLD.id)\073
    END IF\073
    RETURN NEW\073
  END IF\073
  IF (TG_TABLE_NAME = ''HashSet'' AND EXISTS (SELECT 1 FROM "KnownHash"))
     OR (TG_TABLE_NAME = ''Series'' AND EXISTS (SELECT 1 FROM "KnownHash" WHERE "seriesId" IS NOT NULL)) THEN
    RAISE EXCEPTION ''cannot truncate table "%": hashes in "KnownHash" refer to it'', TG_TABLE_NAME
      USING ERRCODE = ''foreign_key_violation'', TABLE = TG_TABLE_NAME\073
  END IF\073
  RETURN NULL\073
END';

DROP TRIGGER manual_known_hash_updated ON "KnownHash";

CREATE FUNCTION manual_known_hash_reference_changed() RETURNS trigger LANGUAGE plpgsql AS E'
BEGIN
  IF NEW."hashSetId" IS DISTINCT FROM OLD."hashSetId" THEN
    PERFORM 1 FROM "HashSet" WHERE id = NEW."hashSetId" FOR KEY SHARE\073
    IF NOT FOUND THEN
      RAISE EXCEPTION ''insert or update on table "KnownHash" violates its reference to "HashSet"''
        USING ERRCODE = ''foreign_key_violation'', TABLE = ''KnownHash'', COLUMN = ''hashSetId'',
              DETAIL = format(''Hash set %s does not exist.'', NEW."hashSetId")\073
    END IF\073
  END IF\073
  IF NEW."seriesId" IS NOT NULL AND NEW."seriesId" IS DISTINCT FROM OLD."seriesId" THEN
    PERFORM 1 FROM "Series" WHERE id = NEW."seriesId" FOR KEY SHARE\073
    IF NOT FOUND THEN
      RAISE EXCEPTION ''insert or update on table "KnownHash" violates its reference to "Series"''
        USING ERRCODE = ''foreign_key_violation'', TABLE = ''KnownHash'', COLUMN = ''seriesId'',
              DETAIL = format(''Series %s does not exist.'', NEW."seriesId")\073
    END IF\073
  END IF\073
  RETURN NULL\073
END';

CREATE TRIGGER manual_known_hash_reference_changed AFTER UPDATE OF "hashSetId", "seriesId" ON "KnownHash"
  FOR EACH ROW WHEN (OLD."hashSetId" IS DISTINCT FROM NEW."hashSetId" OR OLD."seriesId" IS DISTINCT FROM NEW."seriesId")
  EXECUTE FUNCTION manual_known_hash_reference_changed();
