-- AlterEnum: beside HASH_SEARCH_READY, where the schema lists it.
ALTER TYPE "NotificationKind" ADD VALUE 'HASH_SEARCH_FAILED' AFTER 'HASH_SEARCH_READY';
