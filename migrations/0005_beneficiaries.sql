-- Beneficiaries: the persons and organisations a funder aids. A record belongs to one funder
-- organisation: the same person known by two funders is two records, each linked to the
-- person's account only when that person links it.

create table beneficiaries (
  id bigint generated always as identity primary key,
  organisation_id bigint not null references organisations (id),
  kind text not null check (kind in ('personne', 'organisation')),
  family_name text check (length(family_name) between 1 and 100),
  given_names text check (length(given_names) between 1 and 100),
  birth_date date check (birth_date >= date '1900-01-01'),
  legal_name text check (length(legal_name) between 1 and 200),
  siret char(14) check (siret ~ '^[0-9]{14}$'),
  organisation_kind text check (length(organisation_kind) between 1 and 40),
  address_line text check (length(address_line) <= 200),
  postal_code char(5) check (postal_code ~ '^[0-9]{5}$'),
  commune_code char(5) check (commune_code ~ '^[0-9][0-9AB][0-9]{3}$'),
  email text check (length(email) between 3 and 254 and email = lower(email)),
  phone text check (phone ~ '^\+?[0-9]{6,15}$'),
  -- The funder's own id for this beneficiary (a family-allowance number, a student number).
  external_id text check (length(external_id) between 1 and 64),
  -- Household facts the programmes' rules read: quotient, children, statuses, custom values.
  household jsonb not null default '{}'::jsonb check (pg_column_size(household) <= 8192),
  person_id bigint references persons (id),
  -- Given to the beneficiary in the first notification, to link the record to an account;
  -- spent (set to null) once the record is linked.
  claim_code text unique check (claim_code ~ '^[A-Z0-9]{10}$'),
  -- Folded name, given names, birth date and commune (or the SIRET of an organisation),
  -- computed by the application: how duplicates are found without caring for case or accents.
  identity_key text check (length(identity_key) <= 400),
  import_id bigint,
  -- Personal data may be erased once the retention period has ended (a rule of the application,
  -- computed from the attributions); the row stays, anonymous, because attributions and ledger
  -- entries keep pointing at it.
  erased_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint beneficiaries_person_identity check (
    erased_at is not null or kind <> 'personne'
    or (family_name is not null and given_names is not null and birth_date is not null)),
  constraint beneficiaries_organisation_identity check (
    erased_at is not null or kind <> 'organisation' or (legal_name is not null and siret is not null))
);
create unique index beneficiaries_external_id on beneficiaries (organisation_id, external_id)
  where external_id is not null;
create index beneficiaries_identity on beneficiaries (organisation_id, identity_key)
  where identity_key is not null;
-- A funder's records by commune (the list's filter, campaigns by commune, counts per funder).
create index beneficiaries_commune on beneficiaries (organisation_id, commune_code);
-- A person is linked to at most one record per funder: the record of that funder for them.
create unique index beneficiaries_person on beneficiaries (person_id, organisation_id)
  where person_id is not null;
create index beneficiaries_email on beneficiaries (email) where email is not null;

-- A file being imported: analysed first (every line checked, the valid ones staged), then
-- confirmed by an agent, which copies the staged lines in one transaction, or abandoned.
create table beneficiary_imports (
  id bigint generated always as identity primary key,
  organisation_id bigint not null references organisations (id),
  created_by_person_id bigint references persons (id),
  file_name text not null check (length(file_name) between 1 and 200),
  file_format text not null check (file_format in ('csv', 'xlsx')),
  file_bytes bigint not null default 0 check (file_bytes >= 0),
  kind text not null default 'personne' check (kind in ('personne', 'organisation')),
  -- Read at upload: the headers, the first lines, and the mapping suggested from the headers.
  columns jsonb not null default '[]'::jsonb check (pg_column_size(columns) <= 65536),
  preview jsonb not null default '[]'::jsonb check (pg_column_size(preview) <= 262144),
  suggested_mapping jsonb not null default '{}'::jsonb check (pg_column_size(suggested_mapping) <= 8192),
  mapping jsonb check (pg_column_size(mapping) <= 8192),
  status text not null check (
    status in ('uploaded', 'analysing', 'analysed', 'failed', 'imported', 'abandoned')),
  lines_read integer not null default 0 check (lines_read >= 0),
  bytes_read bigint not null default 0 check (bytes_read >= 0),
  valid_lines integer not null default 0 check (valid_lines >= 0),
  rejected_lines integer not null default 0 check (rejected_lines >= 0),
  duplicate_lines integer not null default 0 check (duplicate_lines >= 0),
  problems_found integer not null default 0 check (problems_found >= 0),
  failure text check (length(failure) <= 500),
  failure_code text check (length(failure_code) <= 64),
  created_at timestamptz not null default now(),
  -- An analysis writes here as it goes: one that stops moving died with its process.
  progressed_at timestamptz not null default now(),
  finished_at timestamptz,
  confirmed_at timestamptz,
  confirmed_by_person_id bigint references persons (id)
);
create index beneficiary_imports_organisation on beneficiary_imports (organisation_id, id);
-- beneficiaries.import_id names the import a record came from. It has no foreign key: the
-- check would run once per line of a confirmed import (a second of a 100,000-line import),
-- and only the confirmation writes it, with the id of the import it holds locked.
create index beneficiaries_import on beneficiaries (import_id) where import_id is not null;

-- Line-level report: which line, which field, why (in French), with a machine-readable code.
create table beneficiary_import_problems (
  import_id bigint not null references beneficiary_imports (id),
  line integer not null check (line >= 1),
  field text not null check (length(field) between 1 and 64),
  code text not null check (length(code) between 1 and 64),
  reason text not null check (length(reason) between 1 and 300),
  primary key (import_id, line, field)
);

-- Valid lines waiting for the agent's confirmation, already normalised: one row per batch of
-- the analysis, its lines as a JSON array of the registry's columns (plus the line number and
-- the claim code). Written as text (json, not jsonb) and compressed, a batch costs one insert;
-- confirmation reads every batch back with json_to_recordset in one insert … select.
create table beneficiary_import_batches (
  import_id bigint not null references beneficiary_imports (id),
  batch integer not null check (batch >= 0),
  line_count integer not null check (line_count between 1 and 100000),
  records json not null check (pg_column_size(records) <= 67108864),
  primary key (import_id, batch)
);

-- The uploaded file, in chunks written as the upload streams in, kept until the import is
-- confirmed or abandoned: any API process can analyse it.
create table beneficiary_import_chunks (
  import_id bigint not null references beneficiary_imports (id),
  position integer not null check (position >= 0),
  content bytea not null check (length(content) between 1 and 1048576),
  primary key (import_id, position)
);

-- Wrong claim codes a person typed, to slow down guessing.
create table beneficiary_claim_attempts (
  person_id bigint not null references persons (id),
  attempted_at timestamptz not null default now()
);
create index beneficiary_claim_attempts_person on beneficiary_claim_attempts (person_id, attempted_at);
