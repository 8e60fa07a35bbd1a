import type pg from 'pg';

// SQL of the OpenID Connect logins in progress, and only here.

export type OidcTransaction = {
  state: string;
  providerId: string;
  codeVerifier: string;
  nonce: string;
  returnTo: string;
};

type OidcTransactionRecord = {
  state: string;
  provider_id: string;
  code_verifier: string;
  nonce: string;
  return_to: string;
};

/**
 * Records a login in progress, unless `maxPending` unexpired ones already wait: a flood of
 * started logins cannot fill the table. Expired rows are cleared on the way. Answers whether
 * it was recorded.
 */
export async function saveOidcTransaction(
  pool: pg.Pool,
  transaction: OidcTransaction,
  limits: { lifetimeSeconds: number; maxPending: number },
): Promise<boolean> {
  const result = await pool.query(
    `with purged as (delete from oidc_transactions where expires_at <= now())
     insert into oidc_transactions (state, provider_id, code_verifier, nonce, return_to, expires_at)
     select $1, $2, $3, $4, $5, now() + make_interval(secs => $6)
     where (select count(*) from oidc_transactions where expires_at > now()) < $7`,
    [
      transaction.state,
      transaction.providerId,
      transaction.codeVerifier,
      transaction.nonce,
      transaction.returnTo,
      limits.lifetimeSeconds,
      limits.maxPending,
    ],
  );
  return result.rowCount === 1;
}

/** Takes a login in progress out: a state serves once, and never after it expired. */
export async function consumeOidcTransaction(
  pool: pg.Pool,
  state: string,
): Promise<OidcTransaction | undefined> {
  const result = await pool.query<OidcTransactionRecord>(
    `delete from oidc_transactions where state = $1 and expires_at > now()
     returning state, provider_id, code_verifier, nonce, return_to`,
    [state],
  );
  const record = result.rows[0];
  if (record === undefined) return undefined;
  return {
    state: record.state,
    providerId: record.provider_id,
    codeVerifier: record.code_verifier,
    nonce: record.nonce,
    returnTo: record.return_to,
  };
}

/** Deletes the logins abandoned on the way; answers how many. */
export async function purgeExpiredOidcTransactions(pool: pg.Pool): Promise<number> {
  const result = await pool.query('delete from oidc_transactions where expires_at <= now()');
  return result.rowCount ?? 0;
}
