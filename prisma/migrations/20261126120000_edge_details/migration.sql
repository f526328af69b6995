-- Edge rollups gain what the service map, the drop inbox and cross-cluster views group by:
-- each endpoint's cluster, the name behind a world destination (FQDN, else its /24 or /48
-- network), the destination service, an L7 summary and the policies that denied the flows.
-- Rows written before this migration keep '' in the new columns.
ALTER TABLE "edge_minute"
    ADD COLUMN "src_cluster" TEXT NOT NULL DEFAULT '',
    ADD COLUMN "dst_cluster" TEXT NOT NULL DEFAULT '',
    ADD COLUMN "dst_name" TEXT NOT NULL DEFAULT '',
    ADD COLUMN "dst_service" TEXT NOT NULL DEFAULT '',
    ADD COLUMN "l7" TEXT NOT NULL DEFAULT '',
    ADD COLUMN "policies" TEXT NOT NULL DEFAULT '';
ALTER TABLE "edge_minute" DROP CONSTRAINT "edge_minute_pkey";
ALTER TABLE "edge_minute" ADD CONSTRAINT "edge_minute_pkey" PRIMARY KEY ("bucket","src_cluster","src_namespace","src_entity","dst_cluster","dst_namespace","dst_entity","dst_name","dst_service","dst_port","protocol","verdict","drop_reason","l7","policies");

ALTER TABLE "edge_hour"
    ADD COLUMN "src_cluster" TEXT NOT NULL DEFAULT '',
    ADD COLUMN "dst_cluster" TEXT NOT NULL DEFAULT '',
    ADD COLUMN "dst_name" TEXT NOT NULL DEFAULT '',
    ADD COLUMN "dst_service" TEXT NOT NULL DEFAULT '',
    ADD COLUMN "l7" TEXT NOT NULL DEFAULT '',
    ADD COLUMN "policies" TEXT NOT NULL DEFAULT '';
ALTER TABLE "edge_hour" DROP CONSTRAINT "edge_hour_pkey";
ALTER TABLE "edge_hour" ADD CONSTRAINT "edge_hour_pkey" PRIMARY KEY ("bucket","src_cluster","src_namespace","src_entity","dst_cluster","dst_namespace","dst_entity","dst_name","dst_service","dst_port","protocol","verdict","drop_reason","l7","policies");

-- The drop inbox and triage read only DROPPED edges over long windows.
CREATE INDEX "edge_minute_verdict_bucket_idx" ON "edge_minute"("verdict", "bucket");
CREATE INDEX "edge_hour_verdict_bucket_idx" ON "edge_hour"("verdict", "bucket");
