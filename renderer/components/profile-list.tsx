import { useVirtualizer } from '@tanstack/react-virtual';
import { useCallback, useRef, type KeyboardEvent } from 'react';
import type { ProfileSummary } from '../../shared/profile-types';
import { useAppStore } from '../app-context';
import { ProfileRow, rowHeight } from './profile-row';
import { useVisibleProfiles } from './use-visible-profiles';

const PAGE_STEP = 8;

/**
 * The profiles in file order, filtered by the search box, as a single-select
 * listbox. Only the rows in view are mounted, so a thousand profiles scroll
 * and tick as cheaply as ten. Focus stays on the listbox; arrow keys move the
 * selection (aria-activedescendant).
 */
export function ProfileList() {
  const { visible, total } = useVisibleProfiles();
  const selectedName = useAppStore((state) => state.selectedName);
  const selectProfile = useAppStore((state) => state.selectProfile);
  const scrollRef = useRef<HTMLDivElement>(null);
  // Keyed by name (unique in what pydoover reads), so a new filter re-lays out the rows.
  const getItemKey = useCallback(
    (index: number) => visible[index]?.name ?? index,
    [visible],
  );
  // eslint-disable-next-line react-hooks/incompatible-library -- no React Compiler here; the virtualiser's functions are read fresh on every render
  const virtualizer = useVirtualizer({
    count: visible.length,
    getScrollElement: () => scrollRef.current,
    getItemKey,
    estimateSize: (index) => rowHeight(visible[index]),
    overscan: 6,
  });

  if (visible.length === 0) {
    return <NoMatches total={total} />;
  }
  const selectedIndex = visible.findIndex((profile) => profile.name === selectedName);
  const items = virtualizer.getVirtualItems();
  const activeIsMounted = items.some((item) => item.index === selectedIndex);

  function handleKeyDown(event: KeyboardEvent) {
    const next = nextIndex(event.key, selectedIndex, visible.length);
    const target = next === null ? undefined : visible[next];
    if (next === null || target === undefined) {
      return;
    }
    event.preventDefault();
    selectProfile(target.name);
    virtualizer.scrollToIndex(next);
  }

  return (
    <div
      ref={scrollRef}
      className="profile-list"
      role="listbox"
      aria-label="Profiles"
      tabIndex={0}
      aria-activedescendant={activeIsMounted ? optionId(selectedIndex) : undefined}
      onKeyDown={handleKeyDown}
    >
      <div className="profile-list-sizer" style={{ height: virtualizer.getTotalSize() }}>
        {items.map((item) => (
          <ProfileRow
            key={item.key}
            profile={visible[item.index] as ProfileSummary}
            id={optionId(item.index)}
            position={item.index + 1}
            setSize={visible.length}
            selected={item.index === selectedIndex}
            top={item.start}
            onSelect={selectProfile}
          />
        ))}
      </div>
    </div>
  );
}

function NoMatches({ total }: { total: number }) {
  return (
    <p className="list-empty">
      {total === 0 ? 'The file has no profiles.' : 'No profile matches the search.'}
    </p>
  );
}

function optionId(index: number): string {
  return `profile-option-${index}`;
}

/** Where a navigation key moves the selection, or null for any other key. */
function nextIndex(key: string, current: number, count: number): number | null {
  const last = count - 1;
  switch (key) {
    case 'ArrowDown':
      return current < 0 ? 0 : Math.min(current + 1, last);
    case 'ArrowUp':
      return current < 0 ? last : Math.max(current - 1, 0);
    case 'PageDown':
      return Math.min(Math.max(current, 0) + PAGE_STEP, last);
    case 'PageUp':
      return Math.max(current - PAGE_STEP, 0);
    case 'Home':
      return 0;
    case 'End':
      return last;
    default:
      return null;
  }
}
