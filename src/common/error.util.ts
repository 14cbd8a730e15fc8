/**
 * The message of anything thrown. Duck-typed, not `instanceof Error`: errors made by Node's own
 * modules (fetch, sockets) can come from another realm, under jest for one, where that check fails.
 */
export function messageOf(error: unknown): string {
  if (typeof error === 'object' && error !== null && 'message' in error && typeof error.message === 'string') return error.message;
  return String(error);
}
