/**
 * Provider credentials at rest: AES-256-GCM (node:crypto) with a 32-byte key
 * from the environment (`CREDENTIALS_ENCRYPTION_KEY`, base64), and the
 * previous key (`CREDENTIALS_ENCRYPTION_KEY_PREVIOUS`) still accepted for
 * reading during a rotation.
 *
 * A sealed value is one string:
 * `tfenc:v1:{key id}:{iv}:{tag}:{ciphertext}` (base64url parts; key id = the
 * first 8 hex digits of SHA-256 of the key, so a reader knows which key
 * sealed it; a fresh random 96-bit IV per value). A value without the
 * prefix is a plaintext stored before encryption existed: `open` returns it
 * as it is and `needsReseal` says it must be sealed (the start-up pass in
 * `encrypt-stored.ts` does).
 */
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import type { Config } from '../../config.js';

const PREFIX = 'tfenc:v1:';
const AAD = Buffer.from('torqueflow-provider-credential');

export type SecretBox = {
  /** Encrypt with the current key. */
  seal(plaintext: string): string;
  /**
   * Decrypt a sealed value (current or previous key); a legacy plaintext comes back unchanged.
   * @throws Error when the value was sealed with an unknown key or was tampered with
   */
  open(stored: string): string;
  /** Whether `stored` is plaintext or sealed with another key than the current one. */
  needsReseal(stored: string): boolean;
};

/**
 * Decode and check a base64 key.
 * @throws Error unless it decodes to exactly 32 bytes
 */
export function decodeKey(base64: string): Buffer {
  const key = Buffer.from(base64, 'base64');
  if (key.length !== 32) throw new Error(`an encryption key must be 32 bytes in base64 (this one decodes to ${key.length} bytes); make one with: openssl rand -base64 32`);
  return key;
}

const keyId = (key: Buffer) => createHash('sha256').update(key).digest('hex').slice(0, 8);

export function createSecretBox(current: string, previous?: string): SecretBox {
  const keys = new Map<string, Buffer>();
  const currentKey = decodeKey(current);
  const currentId = keyId(currentKey);
  if (previous) {
    const prev = decodeKey(previous);
    keys.set(keyId(prev), prev);
  }
  keys.set(currentId, currentKey);
  return {
    seal(plaintext) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', currentKey, iv);
      cipher.setAAD(AAD);
      const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
      return `${PREFIX}${currentId}:${iv.toString('base64url')}:${cipher.getAuthTag().toString('base64url')}:${ciphertext.toString('base64url')}`;
    },
    open(stored) {
      if (!stored.startsWith(PREFIX)) return stored;
      const [id, iv, tag, ciphertext] = stored.slice(PREFIX.length).split(':');
      const key = id ? keys.get(id) : undefined;
      if (!key || !iv || !tag || ciphertext === undefined) {
        throw new Error(`a stored credential was sealed with key ${id ?? '?'}, which is neither CREDENTIALS_ENCRYPTION_KEY nor CREDENTIALS_ENCRYPTION_KEY_PREVIOUS`);
      }
      const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
      decipher.setAAD(AAD);
      decipher.setAuthTag(Buffer.from(tag, 'base64url'));
      return Buffer.concat([decipher.update(Buffer.from(ciphertext, 'base64url')), decipher.final()]).toString('utf8');
    },
    needsReseal(stored) {
      return !stored.startsWith(`${PREFIX}${currentId}:`);
    },
  };
}

/** The box for the configured keys. */
export function secretBoxFor(config: Pick<Config, 'CREDENTIALS_ENCRYPTION_KEY' | 'CREDENTIALS_ENCRYPTION_KEY_PREVIOUS'>): SecretBox {
  return createSecretBox(config.CREDENTIALS_ENCRYPTION_KEY, config.CREDENTIALS_ENCRYPTION_KEY_PREVIOUS);
}

/** The organisation's credentials as the adapters need them: the stored secret fields opened. */
export function openCredentials<T extends { twilio: { authToken: string; apiKeySecret: string | null } | null; whatsapp: { accessToken: string } | null }>(credentials: T, box: SecretBox): T {
  const twilio = credentials.twilio;
  return {
    ...credentials,
    twilio: twilio ? { ...twilio, authToken: box.open(twilio.authToken), apiKeySecret: twilio.apiKeySecret === null ? null : box.open(twilio.apiKeySecret) } : null,
    whatsapp: credentials.whatsapp ? { ...credentials.whatsapp, accessToken: box.open(credentials.whatsapp.accessToken) } : null,
  };
}
