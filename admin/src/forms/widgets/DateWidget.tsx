/** rjsf's widget for `format: date` fields: the console's date text field (common/DateTextField.tsx). */
import type { WidgetProps } from '@rjsf/utils';
import { labelValue } from '@rjsf/utils';
import { DateTextField } from '../../common/DateTextField';

export function DateWidget({ id, value, onChange, onBlur, onFocus, label, hideLabel, required, disabled, readonly, rawErrors, autofocus }: WidgetProps) {
  return (
    <DateTextField
      id={id}
      name={id}
      fullWidth
      label={labelValue(label || undefined, hideLabel, undefined)}
      required={required}
      disabled={disabled}
      readOnly={readonly}
      autoFocus={autofocus}
      error={!!rawErrors?.length}
      value={typeof value === 'string' ? value : undefined}
      onChange={onChange}
      onBlur={(v) => onBlur(id, v)}
      onFocus={() => onFocus(id, value)}
    />
  );
}
