import { ProfileList } from './profile-list';
import { SearchBox } from './search-box';
import { useVisibleProfiles } from './use-visible-profiles';

/** The list with its heading, its search box, and a count that screen readers hear as the search narrows. */
export function ProfilesPanel() {
  const { visible, total } = useVisibleProfiles();
  const count =
    visible.length === total
      ? `${total} ${total === 1 ? 'profile' : 'profiles'}`
      : `${visible.length} of ${total} match`;

  return (
    <section className="list-panel" aria-labelledby="list-title">
      <div className="list-header">
        <h2 id="list-title">Profiles</h2>
        <p className="list-count" role="status">
          {count}
        </p>
      </div>
      <div className="list-search">
        <SearchBox />
      </div>
      <ProfileList />
    </section>
  );
}
