// Shared by the tests of every part: what a call threw, as text.

/** The message of whatever `fn` throws; 'accepted' when it throws nothing. */
export function thrownMessage(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    return (e as Error).message;
  }
  return 'accepted';
}
