import { dooverEnvironments } from '../../shared/environments';
import type { EnvironmentChoice } from '../profile-form';

/** Which host each choice is shown with: where its tokens come from, or where it calls. */
export type EnvironmentHost = 'authServerUrl' | 'baseUrl';

function choicesShowing(host: EnvironmentHost) {
  return [
    ...dooverEnvironments.map((environment) => ({
      id: environment.id as EnvironmentChoice,
      label: environment.label,
      detail: new URL(environment[host]).host,
    })),
    {
      id: 'custom' as const,
      label: 'Custom',
      detail: host === 'authServerUrl' ? 'your own auth server' : 'your own servers',
    },
  ];
}

/** Production, Staging or Custom, as a labelled group of radio buttons. */
export function EnvironmentChoices(props: {
  /** The radio group's name; unique per form. */
  name: string;
  showing: EnvironmentHost;
  value: EnvironmentChoice;
  onChange: (choice: EnvironmentChoice) => void;
}) {
  return (
    <fieldset className="form-group">
      <legend>Environment</legend>
      <div className="choice-list">
        {choicesShowing(props.showing).map((choice) => (
          <label key={choice.id} className="choice">
            <input
              type="radio"
              name={props.name}
              value={choice.id}
              checked={props.value === choice.id}
              onChange={() => props.onChange(choice.id)}
            />
            <span className="choice-label">{choice.label}</span>
            <span className="choice-detail">{choice.detail}</span>
          </label>
        ))}
      </div>
    </fieldset>
  );
}
