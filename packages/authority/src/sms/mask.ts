/**
 * A mainland mobile number as shown to operators and kept in the dev outbox: the carrier prefix and
 * the last four digits, never the whole number (`138****5678`).
 */
export function maskPhone(phone: string): string {
  if (phone.length < 8) return '*'.repeat(phone.length);
  return `${phone.slice(0, 3)}${'*'.repeat(phone.length - 7)}${phone.slice(-4)}`;
}
