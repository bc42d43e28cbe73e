/** `part` of `whole` as a whole percentage ("96%"), or undefined when nothing was due. */
export const rate = (part: number, whole: number) => (whole > 0 ? `${Math.round((part / whole) * 100)}%` : undefined);
