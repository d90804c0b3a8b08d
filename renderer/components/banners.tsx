import type { PreservedBlock } from '../../shared/profile-types';
import { useAppStore } from '../app-context';
import { selectPreservedBlocks } from '../store/selectors';
import { ViewPreservedBlockButton } from './preserved-block-dialog';

/** Notes about the file as a whole: kept foreign entries and pydoover's error. */
export function Banners() {
  const blocks = useAppStore(selectPreservedBlocks);
  const pydooverError = useAppStore((state) => state.snapshot?.pydooverError ?? null);
  if (blocks.length === 0 && pydooverError === null) {
    return null;
  }

  return (
    <div className="banners">
      {pydooverError !== null && <PydooverErrorBanner error={pydooverError} />}
      {blocks.length > 0 && <PreservedBlocksBanner blocks={blocks} />}
    </div>
  );
}

function PydooverErrorBanner({ error }: { error: string }) {
  return (
    <div className="notice notice-warning" role="alert">
      <p>
        <strong>
          pydoover cannot read this file, so every <code>doover</code> command fails until
          it is fixed.
        </strong>{' '}
        {error}
      </p>
    </div>
  );
}

function PreservedBlocksBanner({ blocks }: { blocks: PreservedBlock[] }) {
  return (
    <details className="notice notice-info">
      <summary>{preservedSummary(blocks.length)}</summary>
      <ul className="preserved-list">
        {blocks.map((block, index) => (
          <li key={`${index}:${block.label}`} className="preserved-item">
            <span>
              <code>{block.label}</code>{' '}
              <span className="preserved-reason">{block.reason}</span>
            </span>
            <ViewPreservedBlockButton index={index} block={block} />
          </li>
        ))}
      </ul>
    </details>
  );
}

/** "1 entry … is kept as it is" / "2 entries … are kept as they are". */
export function preservedSummary(count: number): string {
  return count === 1
    ? '1 entry this app does not manage is kept as it is'
    : `${count} entries this app does not manage are kept as they are`;
}
