-- Flows, partitioned by day on time. Partitions are created ahead by the store
-- (server/store/partitions.ts) and dropped whole for retention; rows that arrive for a day
-- without a partition land in flows_default and are moved when it is created.
CREATE TABLE "flows" (
    "time" TIMESTAMPTZ(6) NOT NULL,
    "flow_key" TEXT NOT NULL,
    "uuid" TEXT,
    "node_name" TEXT,
    "cluster" TEXT,
    "verdict" SMALLINT NOT NULL DEFAULT 0,
    "drop_reason" SMALLINT NOT NULL DEFAULT 0,
    "flow_type" SMALLINT NOT NULL DEFAULT 0,
    "event_type" INTEGER,
    "event_sub_type" INTEGER,
    "traffic_direction" SMALLINT NOT NULL DEFAULT 0,
    "observation_point" SMALLINT NOT NULL DEFAULT 0,
    "is_reply" BOOLEAN,
    "ip_version" SMALLINT NOT NULL DEFAULT 0,
    "src_ip" INET,
    "dst_ip" INET,
    "src_ip_xlated" INET,
    "l4_protocol" TEXT,
    "src_port" INTEGER,
    "dst_port" INTEGER,
    "tcp_flags" SMALLINT,
    "src_namespace" TEXT,
    "src_pod" TEXT,
    "src_workloads" TEXT[],
    "src_entity" TEXT NOT NULL DEFAULT '',
    "src_identity" BIGINT,
    "src_labels" TEXT[],
    "src_service" TEXT,
    "src_service_ns" TEXT,
    "src_cluster" TEXT,
    "src_names" TEXT[],
    "dst_namespace" TEXT,
    "dst_pod" TEXT,
    "dst_workloads" TEXT[],
    "dst_entity" TEXT NOT NULL DEFAULT '',
    "dst_identity" BIGINT,
    "dst_labels" TEXT[],
    "dst_service" TEXT,
    "dst_service_ns" TEXT,
    "dst_cluster" TEXT,
    "dst_names" TEXT[],
    "l7_type" SMALLINT,
    "l7_protocol" TEXT,
    "latency_ns" BIGINT,
    "http_code" BIGINT,
    "http_method" TEXT,
    "http_url" TEXT,
    "http_path" TEXT,
    "http_headers" TEXT[],
    "dns_query" TEXT,
    "dns_rcode" BIGINT,
    "kafka_topic" TEXT,
    "kafka_api_key" TEXT,
    "kafka_error_code" INTEGER,
    "trace_id" TEXT,
    "node_labels" TEXT[],
    "interface_name" TEXT,
    "interface_index" BIGINT,
    "egress_allowed_by" TEXT[],
    "ingress_allowed_by" TEXT[],
    "egress_denied_by" TEXT[],
    "ingress_denied_by" TEXT[],
    "raw" TEXT NOT NULL,

    CONSTRAINT "flows_pkey" PRIMARY KEY ("time","flow_key")
) PARTITION BY RANGE ("time");

CREATE TABLE "flows_default" PARTITION OF "flows" DEFAULT;

CREATE INDEX "flows_verdict_time_idx" ON "flows"("verdict", "time");

CREATE INDEX "flows_src_namespace_time_idx" ON "flows"("src_namespace", "time");

CREATE INDEX "flows_dst_namespace_time_idx" ON "flows"("dst_namespace", "time");

CREATE TABLE "edge_minute" (
    "bucket" TIMESTAMPTZ(6) NOT NULL,
    "src_namespace" TEXT NOT NULL DEFAULT '',
    "src_entity" TEXT NOT NULL DEFAULT '',
    "dst_namespace" TEXT NOT NULL DEFAULT '',
    "dst_entity" TEXT NOT NULL DEFAULT '',
    "dst_port" INTEGER NOT NULL DEFAULT 0,
    "protocol" TEXT NOT NULL DEFAULT '',
    "verdict" SMALLINT NOT NULL,
    "drop_reason" SMALLINT NOT NULL DEFAULT 0,
    "flows" BIGINT NOT NULL,

    CONSTRAINT "edge_minute_pkey" PRIMARY KEY ("bucket","src_namespace","src_entity","dst_namespace","dst_entity","dst_port","protocol","verdict","drop_reason")
);

CREATE TABLE "edge_hour" (
    "bucket" TIMESTAMPTZ(6) NOT NULL,
    "src_namespace" TEXT NOT NULL DEFAULT '',
    "src_entity" TEXT NOT NULL DEFAULT '',
    "dst_namespace" TEXT NOT NULL DEFAULT '',
    "dst_entity" TEXT NOT NULL DEFAULT '',
    "dst_port" INTEGER NOT NULL DEFAULT 0,
    "protocol" TEXT NOT NULL DEFAULT '',
    "verdict" SMALLINT NOT NULL,
    "drop_reason" SMALLINT NOT NULL DEFAULT 0,
    "flows" BIGINT NOT NULL,

    CONSTRAINT "edge_hour_pkey" PRIMARY KEY ("bucket","src_namespace","src_entity","dst_namespace","dst_entity","dst_port","protocol","verdict","drop_reason")
);

CREATE TABLE "relay_status" (
    "time" TIMESTAMPTZ(6) NOT NULL,
    "relay" TEXT NOT NULL,
    "connected" BOOLEAN NOT NULL,
    "num_flows" BIGINT,
    "max_flows" BIGINT,
    "seen_flows" BIGINT,
    "connected_nodes" INTEGER,
    "unavailable_nodes" INTEGER,
    "flows_rate" DOUBLE PRECISION,

    CONSTRAINT "relay_status_pkey" PRIMARY KEY ("relay","time")
);

CREATE TABLE "node_events" (
    "id" BIGSERIAL NOT NULL,
    "time" TIMESTAMPTZ(6) NOT NULL,
    "relay" TEXT NOT NULL,
    "node" TEXT NOT NULL,
    "state" TEXT NOT NULL,
    "message" TEXT,

    CONSTRAINT "node_events_pkey" PRIMARY KEY ("id")
);

CREATE INDEX "node_events_time_idx" ON "node_events"("time");

CREATE TABLE "gaps" (
    "id" BIGSERIAL NOT NULL,
    "relay" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "from_time" TIMESTAMPTZ(6) NOT NULL,
    "to_time" TIMESTAMPTZ(6) NOT NULL,
    "lost_flows" BIGINT,
    "detail" TEXT,

    CONSTRAINT "gaps_pkey" PRIMARY KEY ("id")
);

CREATE INDEX "gaps_from_time_idx" ON "gaps"("from_time");

CREATE TABLE "collector_state" (
    "relay" TEXT NOT NULL,
    "newest_flow_time" TIMESTAMPTZ(6),
    "connected_since" TIMESTAMPTZ(6),
    "updated_at" TIMESTAMPTZ(6) NOT NULL,

    CONSTRAINT "collector_state_pkey" PRIMARY KEY ("relay")
);
