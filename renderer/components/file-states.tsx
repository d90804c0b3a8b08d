import type { ConfigSnapshot } from '../../shared/profile-types';
import type { AppError } from '../../shared/result';

/** Shown while the first snapshot is on its way. */
export function LoadingState() {
  return (
    <section className="state-panel" aria-label="Profiles">
      <p role="status">Reading profiles…</p>
    </section>
  );
}

/** The profiles file does not exist yet: say where it would be and what creates it. */
export function MissingFileState({ path }: { path: string }) {
  return (
    <section className="state-panel" aria-labelledby="state-title">
      <h2 id="state-title">No profiles yet</h2>
      <p>
        Doover keeps its profiles in <code className="path">{path}</code>, and that file
        does not exist yet.
      </p>
      <p>
        Running <code>doover login</code> creates it, and so does this app when you add a
        profile with <strong>New profile</strong>.
      </p>
    </section>
  );
}

/** The file exists but cannot be read: the path, the cause and what to do. */
export function UnreadableFileState(props: {
  path: string;
  cause: string;
  remedy: string;
}) {
  return (
    <section className="state-panel state-error" aria-labelledby="state-title">
      <h2 id="state-title">The profiles file cannot be read</h2>
      <p>
        <code className="path">{props.path}</code>
      </p>
      <p>{props.cause}</p>
      <p>
        <strong>What to do:</strong> {props.remedy}
      </p>
    </section>
  );
}

/** The file is readable but holds no profile pydoover would use. */
export function NoProfilesState({ snapshot }: { snapshot: ConfigSnapshot }) {
  const [first] = snapshot.preservedBlocks;
  if (first !== undefined) {
    return <OnlySkippedEntriesState snapshot={snapshot} firstReason={first.reason} />;
  }
  return (
    <section className="state-panel" aria-labelledby="state-title">
      <h2 id="state-title">No profiles in the file</h2>
      <p>
        <code className="path">{snapshot.path}</code> holds no profile yet. Running{' '}
        <code>doover login</code> adds one, and so does <strong>New profile</strong>.
      </p>
    </section>
  );
}

/** Everything in the file is text Doover's tools skip: they see no profile at all. */
function OnlySkippedEntriesState(props: {
  snapshot: ConfigSnapshot;
  firstReason: string;
}) {
  const count = props.snapshot.preservedBlocks.length;
  return (
    <section className="state-panel state-error" aria-labelledby="state-title">
      <h2 id="state-title">No profile Doover’s tools can read</h2>
      <p>
        <code className="path">{props.snapshot.path}</code> holds{' '}
        {count === 1 ? 'an entry' : `${count} entries`} that Doover’s tools skip, so they
        see no profile at all. {count === 1 ? 'Why' : 'Why the first is skipped'}:{' '}
        {props.firstReason}
      </p>
      <p>
        <strong>What to do:</strong> open the list of entries this app does not manage
        (above) to see each one, then fix the file in a text editor, restore an earlier
        version from <strong>History</strong>, or add a profile with{' '}
        <strong>New profile</strong>.
      </p>
    </section>
  );
}

/** The main process did not answer with a snapshot at all. */
export function LoadErrorState(props: { error: AppError; onRetry: () => void }) {
  return (
    <section className="state-panel state-error" aria-labelledby="state-title">
      <h2 id="state-title">Profiles could not be loaded</h2>
      <p>{props.error.message}</p>
      <button type="button" className="button" onClick={props.onRetry}>
        Try again
      </button>
    </section>
  );
}
