import { Select } from '@codegouvfr/react-dsfr/Select.js';

/** The choice of a funder among the person's, with « all of them » as a first choice if given. */
export function FunderSelect({
  id,
  label,
  organisations,
  value,
  onChange,
  allLabel,
}: {
  id: string;
  label: string;
  organisations: readonly { id: number; name: string }[];
  /** The chosen organisation's id, or '' for all of them. */
  value: string;
  onChange: (value: string) => void;
  allLabel?: string;
}) {
  return (
    <Select
      label={label}
      nativeSelectProps={{ id, value, onChange: (event) => onChange(event.target.value) }}
    >
      {allLabel !== undefined && <option value="">{allLabel}</option>}
      {organisations.map((organisation) => (
        <option key={organisation.id} value={`${organisation.id}`}>
          {organisation.name}
        </option>
      ))}
    </Select>
  );
}
