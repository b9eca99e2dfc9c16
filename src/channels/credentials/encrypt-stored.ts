/**
 * The start-up pass over stored provider credentials: every secret column
 * of `channel_identities` (from `credential-fields.ts`) that holds a
 * plaintext (stored before encryption existed) or a value sealed with the
 * previous key is sealed with the current key. Idempotent; several
 * instances starting at once are harmless (each UPDATE only applies while
 * the value is still the one it read). A maintenance step across all
 * organisations, so it runs as the connecting (owner) role, before the
 * server accepts requests.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import { SECRET_COLUMNS } from './credential-fields.js';
import type { SecretBox } from './secret-box.js';

/** @returns how many values were (re)sealed */
export async function encryptStoredCredentials(db: Kysely<Database>, box: SecretBox): Promise<number> {
  let sealed = 0;
  for (const column of SECRET_COLUMNS) {
    const rows = await db.selectFrom('channel_identities').select(['id', column]).where(column, 'is not', null).execute();
    for (const row of rows) {
      const stored = row[column as keyof typeof row] as string;
      if (!box.needsReseal(stored)) continue;
      const result = await db.updateTable('channel_identities').set({ [column]: box.seal(box.open(stored)) })
        .where('id', '=', row.id).where(column, '=', stored).executeTakeFirst();
      sealed += Number(result.numUpdatedRows);
    }
  }
  return sealed;
}
