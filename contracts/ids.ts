/** A case's id is its workflow id: `<type>:<subject>:<n>`. */
export function processIdOf(type: string, subject: string, n: number | string): string {
  return `${type}:${subject}:${n}`;
}
