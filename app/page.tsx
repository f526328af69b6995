import { IngestStatusPanel } from '../components/ingest-status/ingest-status-panel';

export default function HomePage() {
  return (
    <>
      <h1>Cluster flows</h1>
      <IngestStatusPanel />
    </>
  );
}
