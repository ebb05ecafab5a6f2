// Argument checks for the method's numeric parameters: a bad setting should fail loudly, not sample nonsense.

export function assertIntegerAtLeast(name: string, value: number, min: number): void {
  if (!Number.isInteger(value) || value < min) {
    throw new RangeError(`${name} must be an integer ≥ ${min}, got ${value}`);
  }
}
