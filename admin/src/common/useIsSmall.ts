import { useMediaQuery, type Theme } from '@mui/material';

/** Phone width (react-admin's own breakpoint for its responsive layout). */
export const useIsSmall = () => useMediaQuery<Theme>((theme) => theme.breakpoints.down('sm'));
