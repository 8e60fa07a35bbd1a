import { Input } from '@codegouvfr/react-dsfr/Input.js';
import { errorState } from '../../components/forms.js';
import { maximumReasonLength } from '../../campaigns/reason.js';

/** The reason a change of a campaign or an attribution asks for, written for the journal. */
export function ReasonField({
  id,
  label,
  hint,
  value,
  problem,
  onChange,
}: {
  id: string;
  label: string;
  hint: string;
  value: string;
  problem: string | undefined;
  onChange: (value: string) => void;
}) {
  return (
    <Input
      label={label}
      hintText={hint}
      textArea
      {...errorState(problem)}
      nativeTextAreaProps={{
        id,
        value,
        rows: 2,
        maxLength: maximumReasonLength,
        onChange: (event) => onChange(event.target.value),
      }}
    />
  );
}
