import { useAppStore } from '../app-context';

/** Filters the list by profile name or server host as the user types. */
export function SearchBox() {
  const query = useAppStore((state) => state.query);
  const setQuery = useAppStore((state) => state.setQuery);

  return (
    <div className="search">
      <label htmlFor="profile-search" className="visually-hidden">
        Search profiles by name or host
      </label>
      <input
        id="profile-search"
        type="search"
        className="search-input"
        placeholder="Search by name or host"
        autoComplete="off"
        spellCheck={false}
        value={query}
        onChange={(event) => setQuery(event.target.value)}
      />
    </div>
  );
}
