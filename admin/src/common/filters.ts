/** A switch filter that is either on or absent (off must not mean "only the others"). */
export const onlyTrue = (v: unknown) => (v ? true : undefined);
