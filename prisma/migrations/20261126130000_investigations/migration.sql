-- Investigations: frozen, shareable views with their own copy of the matching flows. The copies
-- live outside the partitioned `flows` table, so retention (which drops its partitions) never
-- removes them; deleting an investigation deletes its rows in the same transaction.
CREATE TABLE "investigations" (
    "id" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "notes" TEXT NOT NULL DEFAULT '',
    "created_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "q" TEXT NOT NULL DEFAULT '',
    "since" TEXT NOT NULL,
    "until" TEXT NOT NULL,
    "view_state" TEXT NOT NULL,
    "map_snapshot" TEXT,
    "flow_cap" INTEGER NOT NULL,
    "flow_count" INTEGER NOT NULL,
    "truncated" BOOLEAN NOT NULL,
    "matching_flows" BIGINT,
    "scope" TEXT NOT NULL DEFAULT '*',

    CONSTRAINT "investigations_pkey" PRIMARY KEY ("id")
);

CREATE INDEX "investigations_created_at_idx" ON "investigations"("created_at");

CREATE TABLE "investigation_flows" (
    "investigation_id" TEXT NOT NULL,
    "time" TIMESTAMPTZ(6) NOT NULL,
    "flow_key" TEXT NOT NULL,
    "raw" TEXT NOT NULL,

    CONSTRAINT "investigation_flows_pkey" PRIMARY KEY ("investigation_id","time","flow_key")
);
