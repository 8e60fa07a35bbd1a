/**
 * A small, fast, seeded generator (xorshift32) for generated data: the same inputs on every
 * run, so that a demo or a measure can be told apart from a change of code.
 */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0 || 1;
  return () => {
    state ^= state << 13;
    state >>>= 0;
    state ^= state >>> 17;
    state ^= state << 5;
    state >>>= 0;
    return state / 4_294_967_296;
  };
}
