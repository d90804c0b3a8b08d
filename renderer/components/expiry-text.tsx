import type { ExpiryStatus } from '../../shared/expiry-status';

/** The status sentence with a coloured dot; the colour only repeats what the words say. */
export function ExpiryWords({ status }: { status: ExpiryStatus }) {
  return (
    <span className={`expiry expiry-${status.state}`}>
      <span className="expiry-dot" aria-hidden="true" />
      <span className="expiry-words" title={status.words}>
        {status.words}
      </span>
    </span>
  );
}

/** The ticking clock; hidden from screen readers, which get the words instead. */
export function ExpiryCountdown({ status }: { status: ExpiryStatus }) {
  if (status.countdown === null) {
    return null;
  }

  return (
    <span className={`countdown countdown-${status.state}`} aria-hidden="true">
      {status.countdown}
    </span>
  );
}
