/** Password hashing with argon2id (@node-rs/argon2, OWASP-recommended parameters by default). */
import { hash, verify } from '@node-rs/argon2';

/** Shortest password accepted, in characters. */
export const MIN_PASSWORD_LENGTH = 10;

export function hashPassword(password: string): Promise<string> {
  return hash(password);
}

/** Constant-time check of `password` against a stored argon2id hash; false for a missing hash. */
export async function verifyPassword(passwordHash: string | null, password: string): Promise<boolean> {
  if (!passwordHash) return false;
  try {
    return await verify(passwordHash, password);
  } catch {
    return false;
  }
}
