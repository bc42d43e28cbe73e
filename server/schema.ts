/** TypeBox helpers shared by the route schemas. */
import Type from 'typebox';

/** `t` or null: a field the API always sends, null when the record has no value. */
export const nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);
