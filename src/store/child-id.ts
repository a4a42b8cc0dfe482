/**
 * The consolidated child's stable 12-digit id (DESIGN.md section 6, like the MSIX ID): eleven
 * random digits and a Luhn check digit, so a mistyped digit or a swap of two adjacent digits is
 * caught before it reaches a query. The first digit is never 0, so spreadsheets that read the id
 * as a number do not drop a leading zero. Random rather than sequential: an id says nothing about
 * when or where a child was first seen, and cannot be guessed from a neighbour's.
 */
import { randomInt } from 'node:crypto';

export const CHILD_ID_LENGTH = 12;

/** The Luhn digit that makes `payload + digit` valid (ISO/IEC 7812-1 annex B). */
export function luhnCheckDigit(payload: string): number {
  let sum = 0;
  // Doubling starts from the rightmost payload digit, the one next to the check digit.
  for (let i = 0; i < payload.length; i++) {
    let digit = Number(payload[payload.length - 1 - i]);
    if (i % 2 === 0) {
      digit *= 2;
      if (digit > 9) digit -= 9;
    }
    sum += digit;
  }
  return (10 - (sum % 10)) % 10;
}

export function isValidChildId(id: string): boolean {
  if (!/^[1-9]\d{11}$/.test(id)) return false;
  return luhnCheckDigit(id.slice(0, -1)) === Number(id.slice(-1));
}

export function generateChildId(): string {
  let payload = String(randomInt(1, 10));
  for (let i = 1; i < CHILD_ID_LENGTH - 1; i++) payload += String(randomInt(0, 10));
  return payload + String(luhnCheckDigit(payload));
}
