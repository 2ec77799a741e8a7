/** The text of an abort reason or a caught value, for messages. */
export function reasonText(reason: unknown): string {
  if (reason instanceof Error) return reason.message;
  return String(reason);
}
