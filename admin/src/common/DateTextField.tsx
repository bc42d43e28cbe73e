/**
 * A date field as people write dates: a text field showing `YYYY-MM-DD` that also takes `2026/12/4` or
 * `2026年12月4日` (written back as `2026-12-04` when the field is left), with a calendar button opening
 * the browser's own picker. The value handed on is always `YYYY-MM-DD`; never the browser's
 * `mm/dd/yyyy` mask. Used by the generated forms (forms/widgets/DateWidget.tsx) and list filters.
 */
import { useEffect, useRef, useState, type ReactNode } from 'react';
import { IconButton, InputAdornment, TextField, type TextFieldProps } from '@mui/material';
import CalendarMonthIcon from '@mui/icons-material/CalendarMonth';
import { FieldTitle, useInput, useTranslate, type InputProps } from 'react-admin';
import { parseDateText } from '../lib/dates';

export interface DateTextFieldProps extends Omit<TextFieldProps, 'value' | 'onChange' | 'onBlur'> {
  value: string | undefined;
  /** The date (`YYYY-MM-DD`), undefined when emptied, or what was typed when it is no date (`invalid: 'keep'`). */
  onChange: (value: string | undefined) => void;
  onBlur?: (value: string | undefined) => void;
  /** What to hand on while the text is no date: the text (a form's validation then names it) or nothing. */
  invalid?: 'keep' | 'drop';
  readOnly?: boolean;
}

export function DateTextField({ value, onChange, onBlur, invalid = 'keep', readOnly, disabled, error, helperText, ...rest }: DateTextFieldProps) {
  const translate = useTranslate();
  const [text, setText] = useState(value ?? '');
  const picker = useRef<HTMLInputElement>(null);
  // A value set from outside (a reset, the picker) replaces the text unless the text already means it.
  useEffect(() => {
    setText((t) => (parseDateText(t) === value || (!value && invalid === 'drop' && !parseDateText(t)) ? t : (value ?? '')));
  }, [value, invalid]);
  const hand = (t: string) => {
    const date = parseDateText(t);
    onChange(date ?? (t.trim() === '' || invalid === 'drop' ? undefined : t));
  };
  const wrong = text.trim() !== '' && !parseDateText(text);
  const openPicker = () => {
    const input = picker.current;
    if (!input) return;
    input.value = parseDateText(text) ?? '';
    try {
      input.showPicker();
    } catch {
      input.focus();
    }
  };
  const adornment: ReactNode = (
    <InputAdornment position="end">
      <IconButton size="small" edge="end" aria-label={translate('fangfan.form.pick_date')} onClick={openPicker} disabled={disabled || readOnly}>
        <CalendarMonthIcon fontSize="small" />
      </IconButton>
      {/* The browser's calendar, opened by the button; its own field is never shown. */}
      <input
        ref={picker}
        type="date"
        data-picker
        tabIndex={-1}
        aria-hidden
        style={{ position: 'absolute', right: 0, bottom: 0, width: 1, height: 1, opacity: 0, border: 0, padding: 0, pointerEvents: 'none' }}
        onChange={(e) => {
          setText(e.target.value);
          hand(e.target.value);
        }}
      />
    </InputAdornment>
  );
  return (
    <TextField
      {...rest}
      disabled={disabled}
      value={text}
      error={error || (invalid === 'drop' && wrong)}
      helperText={helperText ?? (invalid === 'drop' && wrong ? translate('fangfan.validation.format_date') : undefined)}
      placeholder={translate('fangfan.form.date_placeholder')}
      onChange={(e) => {
        setText(e.target.value);
        hand(e.target.value);
      }}
      onBlur={() => {
        const date = parseDateText(text);
        if (date && date !== text) setText(date);
        onBlur?.(date ?? (text.trim() === '' ? undefined : text));
      }}
      slotProps={{
        ...rest.slotProps,
        input: { readOnly, endAdornment: adornment },
        htmlInput: { inputMode: 'numeric', autoComplete: 'off', ...(rest.slotProps?.htmlInput as object) },
        inputLabel: { shrink: true },
      }}
    />
  );
}

/** react-admin's input of a date (list filters): the value in the form is `YYYY-MM-DD` or absent. */
export function DateTextInput(props: InputProps & { label?: string }) {
  const { field, fieldState, isRequired } = useInput({ ...props, parse: (v: unknown) => (v === '' || v === null ? undefined : v) });
  return (
    <DateTextField
      id={field.name}
      name={field.name}
      size="small"
      variant="filled"
      label={<FieldTitle label={props.label} source={props.source} resource={props.resource} isRequired={isRequired} />}
      value={field.value ?? undefined}
      onChange={(v) => field.onChange(v)}
      onBlur={() => field.onBlur()}
      invalid="drop"
      error={!!fieldState.error}
      sx={{ width: '11em' }}
    />
  );
}
