/** The console's theme: react-admin's default, in a government red, with CJK-friendly fonts and labels as written. */
import { defaultTheme, type RaThemeOptions } from 'react-admin';

interface CheckboxOwner {
  className?: string;
  inputProps?: Record<string, unknown>;
  'aria-label'?: string;
}
const isSelection = (o: CheckboxOwner) => /\bselect-(item|all)\b/.test(o.className ?? '');

const fontFamily = ['"Noto Sans CJK SC"', '"PingFang SC"', '"Microsoft YaHei"', 'Roboto', 'Helvetica', 'Arial', 'sans-serif'].join(',');

export const theme: RaThemeOptions = {
  ...defaultTheme,
  palette: {
    ...defaultTheme.palette,
    primary: { main: '#8c1d18' },
    // Darker than Material's defaults, so that white text on a chip or button reads at 4.5:1 (WCAG AA, checked by axe-core in the e2e tests).
    secondary: { main: '#8f4f16' },
    info: { main: '#01579b' },
    warning: { main: '#a84300' },
    // An error under a field is red on the filled field's grey (#f0f0f0): Material's #d32f2f reads at 4.4:1 there.
    error: { main: '#c62828' },
  },
  components: {
    ...defaultTheme.components,
    // react-admin's row and page selection checkboxes name themselves on Material's wrapping <span>, where
    // a name is not allowed (axe-core: aria-prohibited-attr) and leaves the <input> unnamed (label): the
    // name goes to the input instead. Other checkboxes keep their own input props.
    MuiCheckbox: {
      defaultProps: {
        slotProps: {
          root: (o: CheckboxOwner) => (isSelection(o) ? { 'aria-label': undefined } : {}),
          input: (o: CheckboxOwner) => (isSelection(o) ? { ...o.inputProps, 'aria-label': o['aria-label'] } : (o.inputProps ?? {})),
        },
      },
    },
  },
  // Labels as written: Material's upper-casing turns "导出 Excel" into "导出 EXCEL" and English labels into shouting.
  typography: { ...defaultTheme.typography, fontFamily, button: { textTransform: 'none' } },
};
