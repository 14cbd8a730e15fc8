/** The logistic function: a head's score (logit) as a probability. */
export function sigmoid(value: number): number {
  return 1 / (1 + Math.exp(-value));
}

/** Scores of competing classes as probabilities that sum to 1 (shifted by the largest, so large scores do not overflow). */
export function softmax(values: ArrayLike<number>): number[] {
  let max = -Infinity;
  for (let index = 0; index < values.length; index += 1) max = Math.max(max, values[index]);
  const exps: number[] = [];
  let sum = 0;
  for (let index = 0; index < values.length; index += 1) {
    const value = Math.exp(values[index] - max);
    exps.push(value);
    sum += value;
  }
  return exps.map((value) => value / sum);
}
