-- A known hash's hash set and series were foreign keys, checked by a trigger per inserted row: a
-- fifth of a catalog import's time (README, Catalog). The same references are now kept by
-- statement-level triggers, which check the ids a whole statement wrote (an import chunk's
-- rows name one hash set and a few series) with one query. What they keep is what the
-- foreign keys kept:
--   * a hash's hash set exists, and its series if it has one (checked after every INSERT and
--     UPDATE statement on "KnownHash", the referenced rows are locked FOR KEY SHARE, as a
--     foreign key's check locks them, so a concurrent delete waits for the hashes' transaction
--     and then finds them, or the hashes wait for the delete and then fail).
--   * a hash set with hashes cannot be deleted, truncated or given another id (ON DELETE RESTRICT).
--   * deleting a series takes it off its hashes (ON DELETE SET NULL), a series with hashes cannot
--     be truncated or given another id.
-- The errors carry SQLSTATE 23503 (foreign_key_violation), as the foreign keys' did.
-- (Semicolons in the function bodies are spelled \073: the migration runner splits on them.)

-- DropForeignKey
ALTER TABLE "KnownHash" DROP CONSTRAINT "KnownHash_hashSetId_fkey";

-- DropForeignKey
ALTER TABLE "KnownHash" DROP CONSTRAINT "KnownHash_seriesId_fkey";

CREATE FUNCTION manual_known_hash_references_exist() RETURNS trigger LANGUAGE plpgsql AS E'
DECLARE
  wanted int[]\073
  present int[]\073
  missing int\073
BEGIN
  -- DISTINCT in a subquery is hashed, where array_agg(DISTINCT ...) would sort every row written.
  SELECT array_agg(id) INTO wanted FROM (SELECT DISTINCT "hashSetId" AS id FROM new_rows) ids\073
  IF wanted IS NOT NULL THEN
    SELECT array_agg(id) INTO present FROM (SELECT id FROM "HashSet" WHERE id = ANY (wanted) FOR KEY SHARE) locked\073
    SELECT w INTO missing FROM unnest(wanted) w WHERE w <> ALL (COALESCE(present, ''{}'')) LIMIT 1\073
    IF missing IS NOT NULL THEN
      RAISE EXCEPTION ''insert or update on table "KnownHash" violates its reference to "HashSet"''
        USING ERRCODE = ''foreign_key_violation'', TABLE = ''KnownHash'', COLUMN = ''hashSetId'',
              DETAIL = format(''Hash set %s does not exist.'', missing)\073
    END IF\073
  END IF\073
  SELECT array_agg(id) INTO wanted FROM (SELECT DISTINCT "seriesId" AS id FROM new_rows WHERE "seriesId" IS NOT NULL) ids\073
  IF wanted IS NOT NULL THEN
    SELECT array_agg(id) INTO present FROM (SELECT id FROM "Series" WHERE id = ANY (wanted) FOR KEY SHARE) locked\073
    SELECT w INTO missing FROM unnest(wanted) w WHERE w <> ALL (COALESCE(present, ''{}'')) LIMIT 1\073
    IF missing IS NOT NULL THEN
      RAISE EXCEPTION ''insert or update on table "KnownHash" violates its reference to "Series"''
        USING ERRCODE = ''foreign_key_violation'', TABLE = ''KnownHash'', COLUMN = ''seriesId'',
              DETAIL = format(''Series %s does not exist.'', missing)\073
    END IF\073
  END IF\073
  RETURN NULL\073
END';

CREATE TRIGGER manual_known_hash_inserted AFTER INSERT ON "KnownHash" REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION manual_known_hash_references_exist();

CREATE TRIGGER manual_known_hash_updated AFTER UPDATE ON "KnownHash" REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION manual_known_hash_references_exist();

-- A hash set or series deleted by one statement: refused if a hash is in a deleted hash set.
-- a deleted series is taken off its hashes. The check's query runs after the delete's row locks
-- are held, in a snapshot of its own, so it sees hashes whose transaction it waited for.
CREATE FUNCTION manual_catalog_referenced_deleted() RETURNS trigger LANGUAGE plpgsql AS E'
DECLARE
  used int\073
BEGIN
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

CREATE TRIGGER manual_hash_set_deleted AFTER DELETE ON "HashSet" REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION manual_catalog_referenced_deleted();

CREATE TRIGGER manual_series_deleted AFTER DELETE ON "Series" REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION manual_catalog_referenced_deleted();

-- A hash set's or series' id does not change while hashes refer to it, TRUNCATE (which fires no
-- delete trigger) is refused while any hash refers to one.
CREATE FUNCTION manual_catalog_referenced_kept() RETURNS trigger LANGUAGE plpgsql AS E'
BEGIN
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

CREATE TRIGGER manual_hash_set_id_kept BEFORE UPDATE OF id ON "HashSet"
  FOR EACH ROW WHEN (OLD.id IS DISTINCT FROM NEW.id) EXECUTE FUNCTION manual_catalog_referenced_kept();

CREATE TRIGGER manual_series_id_kept BEFORE UPDATE OF id ON "Series"
  FOR EACH ROW WHEN (OLD.id IS DISTINCT FROM NEW.id) EXECUTE FUNCTION manual_catalog_referenced_kept();

CREATE TRIGGER manual_hash_set_not_truncated BEFORE TRUNCATE ON "HashSet"
  FOR EACH STATEMENT EXECUTE FUNCTION manual_catalog_referenced_kept();

CREATE TRIGGER manual_series_not_truncated BEFORE TRUNCATE ON "Series"
  FOR EACH STATEMENT EXECUTE FUNCTION manual_catalog_referenced_kept();
