/**
 * Arithmetic in GF(2^5) for the network-number check symbol.
 *
 * Elements are 5-bit polynomials over GF(2) (bit k = coefficient of x^k), reduced modulo
 * p(x) = x^5 + x^2 + 1. p is irreducible (no root in GF(2), and not divisible by x^2 + x + 1, the only
 * irreducible quadratic), so GF(2)[x]/p is a field with 32 elements; addition is XOR
 * and subtraction is the same operation. Because the multiplicative group has prime order 31, every
 * element other than 0 and 1 generates it; we take α = x (the value 2), so α^0 … α^30 are the 31
 * non-zero elements, all distinct (gf32.test.ts checks this directly).
 *
 * Check equation, for symbols d_0 … d_9 (d_9 the check symbol):
 *
 *     Σ_{i=0..9} α^(9-i) · d_i = 0
 *
 * The weights w_i = α^(9-i) are α^9 … α^0: ten distinct non-zero elements (α has order 31 > 10).
 *
 * - Single substitution d_i → d_i' (d_i' ≠ d_i) changes the sum by w_i·(d_i + d_i'). Both factors
 *   are non-zero and a field has no zero divisors, so the sum becomes non-zero: always detected.
 * - Transposition of d_i = a and d_j = b with a ≠ b (adjacent or not, including j = 9, the check
 *   symbol) changes the sum by w_i·a + w_j·b + w_i·b + w_j·a = (w_i + w_j)·(a + b). w_i ≠ w_j and
 *   a ≠ b make both factors non-zero, so the product is non-zero: always detected.
 *
 * Horner evaluation keeps this cheap: acc ← acc·α + d over d_0 … d_9 yields Σ α^(9-i)·d_i.
 */

/** x^5 + x^2 + 1 */
const MODULUS = 0b100101;

export function mulAlpha(a: number): number {
  const shifted = a << 1;
  return shifted & 0b100000 ? shifted ^ MODULUS : shifted;
}

/** Σ α^(n-1-i) · values[i] over GF(32) for n = values.length. */
export function hornerSum(values: ArrayLike<number>): number {
  let acc = 0;
  for (let i = 0; i < values.length; i++) acc = mulAlpha(acc) ^ values[i]!;
  return acc;
}

/**
 * The check symbol for nine payload symbols: the value c with Σ α^(9-i)·d_i + 1·c = 0, i.e.
 * c = Σ_{i<9} α^(9-i)·d_i (minus is plus in characteristic 2).
 */
export function checkValue(payload: ArrayLike<number>): number {
  return mulAlpha(hornerSum(payload));
}
