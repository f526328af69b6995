import type { Metadata } from 'next';
import { FreezeForm } from '../../../components/investigations/freeze-form';

export const metadata: Metadata = { title: 'Freeze flows · Hubble Flow Dashboard' };

export default function NewInvestigationPage() {
  return (
    <>
      <h1>Freeze flows</h1>
      <p className="muted">
        The flows a filter selects in a window, copied into an investigation with a permalink. Durations count back from the
        moment you press Share.
      </p>
      <FreezeForm />
    </>
  );
}
