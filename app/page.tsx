import { TriagePage } from '../components/triage/triage-page';

/** The home page is the on-call triage: the data is read and refreshed in the browser. */
export default function HomePage() {
  return <TriagePage />;
}
