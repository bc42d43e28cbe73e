import { useMediaQuery, type Theme } from '@mui/material';

/** Phone width (react-admin's own breakpoint), right from the first render (no list/table flicker). */
export const useIsSmall = () => useMediaQuery<Theme>((theme) => theme.breakpoints.down('sm'), { noSsr: true });
