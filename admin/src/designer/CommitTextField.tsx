/** A text field that writes its value when the user leaves it (or presses Enter): one diagram change per edit, not per key. */
import { useState } from 'react';
import { TextField, type TextFieldProps } from '@mui/material';

export function CommitTextField({ value, onCommit, ...props }: Omit<TextFieldProps, 'value' | 'onChange'> & { value: string; onCommit: (value: string) => void }) {
  const [text, setText] = useState(value);
  const commit = () => {
    if (text !== value) onCommit(text);
  };
  return (
    <TextField
      size="small"
      fullWidth
      {...props}
      value={text}
      onChange={(e) => setText(e.target.value)}
      onBlur={commit}
      onKeyDown={(e) => {
        if (e.key === 'Enter' && !props.multiline) commit();
      }}
    />
  );
}
