import type { EnvironmentBadge as Badge } from '../../shared/profile-types';

/** "Production", "Staging" or a custom host, coloured by kind. */
export function EnvironmentBadge({ environment }: { environment: Badge }) {
  return (
    <span className={`badge badge-${environment.kind}`} title="Environment">
      {environment.label}
    </span>
  );
}
