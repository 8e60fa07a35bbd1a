import type pg from 'pg';

// `flechage verify` for the audit journal: every entry's hash is recomputed from its fields and
// the previous entry's hash, and the chain head must name the last entry.

export type JournalViolation = { check: string; detail: string };

export type JournalVerificationReport = { entries: number; violations: JournalViolation[] };

const MAX_VIOLATIONS = 20;
const PAGE_SIZE = 5_000;

type ChainLink = {
  id: number;
  previous_matches: boolean;
  hash_matches: boolean;
  entry_hash: string;
};

// Within a page each entry is compared with the one before it; the first with the last entry
// of the previous page ($2).
const PAGE_QUERY = `select j.id,
       j.previous_hash = coalesce(lag(j.entry_hash) over (order by j.id), $2::bytea)
         as previous_matches,
       j.entry_hash = audit_entry_hash(j.previous_hash, j) as hash_matches,
       encode(j.entry_hash, 'hex') as entry_hash
  from audit_journal j where j.id > $1 order by j.id limit $3`;

function checkLink(link: ChainLink): JournalViolation[] {
  const violations: JournalViolation[] = [];
  if (!link.hash_matches) {
    violations.push({
      check: 'journal_entry_modified',
      detail: `entrée ${link.id} du journal : contenu modifié (empreinte différente)`,
    });
  }
  if (!link.previous_matches) {
    violations.push({
      check: 'journal_chain_broken',
      detail: `entrée ${link.id} du journal : ne suit pas l’entrée précédente`,
    });
  }
  return violations;
}

async function checkHead(pool: pg.Pool, lastId: number, lastHash: string) {
  const head = await pool.query<{ last_id: number; last_hash: string }>(
    `select last_id, encode(last_hash, 'hex') as last_hash from audit_chain_head`,
  );
  const row = head.rows[0];
  if (row !== undefined && row.last_id === lastId && row.last_hash === lastHash) return [];
  return [
    {
      check: 'journal_head_mismatch',
      detail: 'la tête de chaîne du journal ne correspond pas à sa dernière entrée',
    },
  ];
}

export async function verifyJournal(pool: pg.Pool): Promise<JournalVerificationReport> {
  const violations: JournalViolation[] = [];
  let lastId = 0;
  let lastHash = '00'.repeat(32);
  let entries = 0;
  for (;;) {
    const page = await pool.query<ChainLink>(PAGE_QUERY, [
      lastId,
      Buffer.from(lastHash, 'hex'),
      PAGE_SIZE,
    ]);
    for (const link of page.rows) {
      violations.push(...checkLink(link));
      if (violations.length >= MAX_VIOLATIONS) return { entries, violations };
      lastId = link.id;
      lastHash = link.entry_hash;
      entries += 1;
    }
    if (page.rows.length < PAGE_SIZE) break;
  }
  return { entries, violations: [...violations, ...(await checkHead(pool, lastId, lastHash))] };
}
