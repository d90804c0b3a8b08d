import { useState } from 'react';
import { expiryStateLabels, type ExpiryState } from '../../shared/expiry-status';

/**
 * A polite live region that speaks only when the profile's expiry state
 * changes ("default: Expires soon"), never on the per-second countdown and
 * not when another profile is selected.
 */
export function StatusAnnouncer({ name, state }: { name: string; state: ExpiryState }) {
  const [seen, setSeen] = useState({ name, state });
  const [message, setMessage] = useState('');

  if (seen.name !== name || seen.state !== state) {
    setSeen({ name, state });
    setMessage(seen.name === name ? `${name}: ${expiryStateLabels[state]}` : '');
  }

  return (
    <div role="status" className="visually-hidden" data-testid="status-announcer">
      {message}
    </div>
  );
}
