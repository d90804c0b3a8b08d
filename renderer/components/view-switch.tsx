import { useAppStore } from '../app-context';
import type { AppView } from '../store/view-slice';

const views: { id: AppView; label: string }[] = [
  { id: 'profiles', label: 'Profiles' },
  { id: 'history', label: 'History' },
];

/** Switches between the profiles and the history of the file. */
export function ViewSwitch() {
  const view = useAppStore((state) => state.view);
  const showView = useAppStore((state) => state.showView);

  return (
    <nav className="view-switch" aria-label="Screens">
      {views.map(({ id, label }) => (
        <button
          key={id}
          type="button"
          className="view-button"
          aria-current={view === id ? 'page' : undefined}
          onClick={() => showView(id)}
        >
          {label}
        </button>
      ))}
    </nav>
  );
}
