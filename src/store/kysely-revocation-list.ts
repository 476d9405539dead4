import type { Kysely } from 'kysely';
import type { RevocationList } from '../auth/index.js';
import type { LoomDatabase } from './database-schema.js';
import type { ValueCodec } from './value-codec.js';

/**
 * Revoked proxy tokens (`revoked_tokens`) on any Kysely dialect, shared by every server that uses
 * the same database. Revoking twice keeps the later expiry.
 */
export class KyselyRevocationList implements RevocationList {
  constructor(
    private readonly db: Kysely<LoomDatabase>,
    private readonly codec: ValueCodec,
  ) {}

  async revoke(jti: string, expiresAt: Date): Promise<void> {
    const expires = this.codec.encodeDate(expiresAt);
    await this.db
      .insertInto('revoked_tokens')
      .values({ jti, expires_at: expires, revoked_at: this.codec.encodeDate(new Date()) })
      .onConflict((conflict) => conflict.column('jti').doUpdateSet({ expires_at: expires }))
      .execute();
  }

  async isRevoked(jti: string): Promise<boolean> {
    const row = await this.db
      .selectFrom('revoked_tokens')
      .select('jti')
      .where('jti', '=', jti)
      .executeTakeFirst();
    return row !== undefined;
  }

  /** Deletes entries whose token expired before `before`: such a token is refused anyway. */
  async purgeExpired(before: Date): Promise<number> {
    const result = await this.db
      .deleteFrom('revoked_tokens')
      .where('expires_at', '<', this.codec.encodeDate(before))
      .executeTakeFirst();
    return Number(result.numDeletedRows);
  }
}
