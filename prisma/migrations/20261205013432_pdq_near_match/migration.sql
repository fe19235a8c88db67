-- AlterTable
ALTER TABLE "ReportFile" ADD COLUMN     "pdqDistance" INTEGER;


-- PDQ near matching (src/modules/hashes/pdq.ts): multi-index hashing over 16 chunks of 16 bits.
-- One partial expression index per chunk, over PDQ rows only. A query probes each with the
-- chunk value and its one-bit neighbours, then checks the exact distance.
CREATE INDEX "manual_KnownHash_pdq_chunk_0" ON "KnownHash" (((('x' || substr("value", 1, 4))::bit(16))::int)) WHERE "hashType" = 'PDQ';
CREATE INDEX "manual_KnownHash_pdq_chunk_1" ON "KnownHash" (((('x' || substr("value", 5, 4))::bit(16))::int)) WHERE "hashType" = 'PDQ';
CREATE INDEX "manual_KnownHash_pdq_chunk_2" ON "KnownHash" (((('x' || substr("value", 9, 4))::bit(16))::int)) WHERE "hashType" = 'PDQ';
CREATE INDEX "manual_KnownHash_pdq_chunk_3" ON "KnownHash" (((('x' || substr("value", 13, 4))::bit(16))::int)) WHERE "hashType" = 'PDQ';
CREATE INDEX "manual_KnownHash_pdq_chunk_4" ON "KnownHash" (((('x' || substr("value", 17, 4))::bit(16))::int)) WHERE "hashType" = 'PDQ';
CREATE INDEX "manual_KnownHash_pdq_chunk_5" ON "KnownHash" (((('x' || substr("value", 21, 4))::bit(16))::int)) WHERE "hashType" = 'PDQ';
CREATE INDEX "manual_KnownHash_pdq_chunk_6" ON "KnownHash" (((('x' || substr("value", 25, 4))::bit(16))::int)) WHERE "hashType" = 'PDQ';
CREATE INDEX "manual_KnownHash_pdq_chunk_7" ON "KnownHash" (((('x' || substr("value", 29, 4))::bit(16))::int)) WHERE "hashType" = 'PDQ';
CREATE INDEX "manual_KnownHash_pdq_chunk_8" ON "KnownHash" (((('x' || substr("value", 33, 4))::bit(16))::int)) WHERE "hashType" = 'PDQ';
CREATE INDEX "manual_KnownHash_pdq_chunk_9" ON "KnownHash" (((('x' || substr("value", 37, 4))::bit(16))::int)) WHERE "hashType" = 'PDQ';
CREATE INDEX "manual_KnownHash_pdq_chunk_10" ON "KnownHash" (((('x' || substr("value", 41, 4))::bit(16))::int)) WHERE "hashType" = 'PDQ';
CREATE INDEX "manual_KnownHash_pdq_chunk_11" ON "KnownHash" (((('x' || substr("value", 45, 4))::bit(16))::int)) WHERE "hashType" = 'PDQ';
CREATE INDEX "manual_KnownHash_pdq_chunk_12" ON "KnownHash" (((('x' || substr("value", 49, 4))::bit(16))::int)) WHERE "hashType" = 'PDQ';
CREATE INDEX "manual_KnownHash_pdq_chunk_13" ON "KnownHash" (((('x' || substr("value", 53, 4))::bit(16))::int)) WHERE "hashType" = 'PDQ';
CREATE INDEX "manual_KnownHash_pdq_chunk_14" ON "KnownHash" (((('x' || substr("value", 57, 4))::bit(16))::int)) WHERE "hashType" = 'PDQ';
CREATE INDEX "manual_KnownHash_pdq_chunk_15" ON "KnownHash" (((('x' || substr("value", 61, 4))::bit(16))::int)) WHERE "hashType" = 'PDQ';

-- The planner ignores the statistics of partial expression indexes, and without them it guesses
-- each probe finds 0.5% of the table and scans it all. Expression statistics give it real figures.
CREATE STATISTICS "manual_KnownHash_pdq_chunk_0_stats" ON ((('x' || substr("value", 1, 4))::bit(16))::int) FROM "KnownHash";
CREATE STATISTICS "manual_KnownHash_pdq_chunk_1_stats" ON ((('x' || substr("value", 5, 4))::bit(16))::int) FROM "KnownHash";
CREATE STATISTICS "manual_KnownHash_pdq_chunk_2_stats" ON ((('x' || substr("value", 9, 4))::bit(16))::int) FROM "KnownHash";
CREATE STATISTICS "manual_KnownHash_pdq_chunk_3_stats" ON ((('x' || substr("value", 13, 4))::bit(16))::int) FROM "KnownHash";
CREATE STATISTICS "manual_KnownHash_pdq_chunk_4_stats" ON ((('x' || substr("value", 17, 4))::bit(16))::int) FROM "KnownHash";
CREATE STATISTICS "manual_KnownHash_pdq_chunk_5_stats" ON ((('x' || substr("value", 21, 4))::bit(16))::int) FROM "KnownHash";
CREATE STATISTICS "manual_KnownHash_pdq_chunk_6_stats" ON ((('x' || substr("value", 25, 4))::bit(16))::int) FROM "KnownHash";
CREATE STATISTICS "manual_KnownHash_pdq_chunk_7_stats" ON ((('x' || substr("value", 29, 4))::bit(16))::int) FROM "KnownHash";
CREATE STATISTICS "manual_KnownHash_pdq_chunk_8_stats" ON ((('x' || substr("value", 33, 4))::bit(16))::int) FROM "KnownHash";
CREATE STATISTICS "manual_KnownHash_pdq_chunk_9_stats" ON ((('x' || substr("value", 37, 4))::bit(16))::int) FROM "KnownHash";
CREATE STATISTICS "manual_KnownHash_pdq_chunk_10_stats" ON ((('x' || substr("value", 41, 4))::bit(16))::int) FROM "KnownHash";
CREATE STATISTICS "manual_KnownHash_pdq_chunk_11_stats" ON ((('x' || substr("value", 45, 4))::bit(16))::int) FROM "KnownHash";
CREATE STATISTICS "manual_KnownHash_pdq_chunk_12_stats" ON ((('x' || substr("value", 49, 4))::bit(16))::int) FROM "KnownHash";
CREATE STATISTICS "manual_KnownHash_pdq_chunk_13_stats" ON ((('x' || substr("value", 53, 4))::bit(16))::int) FROM "KnownHash";
CREATE STATISTICS "manual_KnownHash_pdq_chunk_14_stats" ON ((('x' || substr("value", 57, 4))::bit(16))::int) FROM "KnownHash";
CREATE STATISTICS "manual_KnownHash_pdq_chunk_15_stats" ON ((('x' || substr("value", 61, 4))::bit(16))::int) FROM "KnownHash";
