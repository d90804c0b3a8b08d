import { useState } from 'react';
import { useAppStore } from '../app-context';
import { describeRenewal, renewalAnnouncement } from '../renewal-words';

/**
 * A profile's background renewal in words ("Renews itself in 12 min");
 * nothing when main has none. A row is narrow and already shows the expiry:
 * `inRow` keeps only states that need a look, in their short form.
 */
export function RenewalWords({ name, inRow = false }: { name: string; inRow?: boolean }) {
  // One text holds tone and words, so the selector's answer compares by value.
  const text = useAppStore((state) => {
    const renewal = state.renewal?.profiles[name];
    if (renewal === undefined) return null;
    const { tone, words } = describeRenewal(renewal, state.now);
    if (!inRow) return `${tone}|${words}`;
    return tone === 'quiet' || tone === 'busy'
      ? null
      : `${tone}|${renewalAnnouncement(renewal)}`;
  });
  if (text === null) return null;
  const cut = text.indexOf('|');
  const [tone, words] = [text.slice(0, cut), text.slice(cut + 1)];

  return (
    <span className={`renewal renewal-${tone}`} title={words}>
      {words}
    </span>
  );
}

/**
 * The renewal line of the detail pane with a polite live region that speaks
 * only when the kind of state changes, never on each tick.
 */
export function RenewalStatus({ name }: { name: string }) {
  const announcement = useAppStore((state) => {
    const renewal = state.renewal?.profiles[name];
    return renewal === undefined ? null : renewalAnnouncement(renewal);
  });
  const [heard, setHeard] = useState({ name, announcement });
  const [message, setMessage] = useState('');
  if (heard.name !== name || heard.announcement !== announcement) {
    setHeard({ name, announcement });
    setMessage(
      heard.name === name && announcement !== null ? `${name}: ${announcement}` : '',
    );
  }

  return (
    <>
      {announcement !== null && (
        <p className="detail-renewal">
          <RenewalWords name={name} />
        </p>
      )}
      <div role="status" className="visually-hidden">
        {message}
      </div>
    </>
  );
}
