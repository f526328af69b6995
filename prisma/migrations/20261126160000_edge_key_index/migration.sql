-- The rollups looked up by edge key rather than by time: the triage's "new in the last 15 minutes"
-- checks each recent drop group against the day before it, one index probe per group, instead of
-- reading every drop row of the day (hundreds of thousands where drops hit many ports). A group's
-- own history over a window is the same lookup. Port comes before verdict and bucket so that a
-- probe for one port does not walk every other port of the same pair.
CREATE INDEX "edge_minute_edge_key_idx" ON "edge_minute"("src_namespace", "src_entity", "dst_namespace", "dst_entity", "dst_port", "verdict", "bucket");
CREATE INDEX "edge_hour_edge_key_idx" ON "edge_hour"("src_namespace", "src_entity", "dst_namespace", "dst_entity", "dst_port", "verdict", "bucket");
