-- CreateTable
CREATE TABLE "IpLocation" (
    "id" SERIAL NOT NULL,
    "network" INET NOT NULL,
    "country" VARCHAR(2) NOT NULL,
    "region" VARCHAR(64),
    "source" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "IpLocation_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "IpLocation_network_key" ON "IpLocation"("network");


-- Hand-written: "which network contains this address" (>>=) uses a GiST index.
CREATE INDEX "manual_IpLocation_network_gist" ON "IpLocation" USING gist ("network" inet_ops);
