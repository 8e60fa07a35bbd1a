-- People, memberships and roles, sessions, API keys, mandates, notifications, OpenID links and
-- the audit journal. Secrets are never stored: only their SHA-256 (tokens) or argon2id (passwords).

create table persons (
  id bigint generated always as identity primary key,
  email text not null check (length(email) between 3 and 254 and email = lower(email)),
  display_name text not null check (length(display_name) between 1 and 120),
  phone text check (phone ~ '^\+?[0-9 .-]{6,20}$'),
  password_hash text check (length(password_hash) <= 200),
  totp_secret text check (totp_secret ~ '^[A-Z2-7]{32}$'),
  totp_pending_secret text check (totp_pending_secret ~ '^[A-Z2-7]{32}$'),
  totp_last_step bigint,
  created_at timestamptz not null default now(),
  disabled_at timestamptz
);
create unique index persons_email on persons (email);

create table memberships (
  id bigint generated always as identity primary key,
  person_id bigint not null references persons (id),
  organisation_id bigint references organisations (id),
  role text not null check (role in (
    'administrateur_plateforme', 'gestionnaire', 'instructeur', 'controleur_financier',
    'auditeur', 'commercant_responsable', 'caissier', 'beneficiaire', 'aidant')),
  created_at timestamptz not null default now(),
  ended_at timestamptz,
  -- A beneficiary is a person on their own; staff always act within an organisation.
  constraint memberships_organisation_by_role check (
    case role when 'beneficiaire' then organisation_id is null
              when 'aidant' then true
              else organisation_id is not null end)
);
create unique index memberships_active on memberships (person_id, coalesce(organisation_id, 0), role)
  where ended_at is null;
create index memberships_organisation on memberships (organisation_id) where ended_at is null;

create table invitations (
  id bigint generated always as identity primary key,
  organisation_id bigint not null references organisations (id),
  email text not null check (length(email) between 3 and 254 and email = lower(email)),
  role text not null,
  token_hash bytea not null unique check (length(token_hash) = 32),
  invited_by_person_id bigint references persons (id),
  created_at timestamptz not null default now(),
  expires_at timestamptz not null,
  accepted_at timestamptz,
  accepted_person_id bigint references persons (id),
  cancelled_at timestamptz
);
create index invitations_organisation on invitations (organisation_id, created_at desc);

create table sessions (
  id bigint generated always as identity primary key,
  token_hash bytea not null unique check (length(token_hash) = 32),
  person_id bigint not null references persons (id),
  authentication_method text not null check (length(authentication_method) between 1 and 80),
  second_factor_pending boolean not null,
  created_at timestamptz not null default now(),
  last_seen_at timestamptz not null default now(),
  expires_at timestamptz not null,
  revoked_at timestamptz,
  user_agent text check (length(user_agent) <= 300),
  ip_address text check (length(ip_address) <= 64)
);
create index sessions_person on sessions (person_id) where revoked_at is null;

create table login_attempts (
  id bigint generated always as identity primary key,
  email text not null check (length(email) <= 254),
  ip_address text not null check (length(ip_address) <= 64),
  succeeded boolean not null,
  attempted_at timestamptz not null default now()
);
create index login_attempts_email on login_attempts (email, attempted_at) where not succeeded;
create index login_attempts_address on login_attempts (ip_address, attempted_at) where not succeeded;

create table api_keys (
  id bigint generated always as identity primary key,
  key_id text not null unique check (key_id ~ '^fk_[A-Za-z0-9_-]{16,64}$'),
  organisation_id bigint not null references organisations (id),
  role text not null check (role in ('terminal', 'processeur_paiement')),
  label text not null check (length(label) between 1 and 100),
  -- SHA-256 of the secret: the HMAC key both sides use, so the secret itself is never stored.
  signing_key bytea not null check (length(signing_key) = 32),
  created_by_person_id bigint references persons (id),
  created_at timestamptz not null default now(),
  expires_at timestamptz,
  revoked_at timestamptz,
  last_used_at timestamptz,
  replaced_by_id bigint references api_keys (id)
);
create index api_keys_organisation on api_keys (organisation_id);

create table api_key_nonces (
  api_key_id bigint not null references api_keys (id),
  nonce text not null check (length(nonce) between 16 and 64),
  seen_at timestamptz not null default now(),
  primary key (api_key_id, nonce)
);
create index api_key_nonces_seen on api_key_nonces (seen_at);

create table mandates (
  id bigint generated always as identity primary key,
  beneficiary_person_id bigint not null references persons (id),
  aidant_person_id bigint not null references persons (id),
  scopes text[] not null check (
    cardinality(scopes) between 1 and 3
    and scopes <@ array['consulter_soldes', 'payer', 'demander_aide']),
  duration text not null check (duration in ('1_jour', '1_mois', '6_mois', '1_an')),
  consent_text text not null check (length(consent_text) between 1 and 2000),
  consent_recorded_at timestamptz not null,
  starts_at timestamptz not null,
  ends_at timestamptz not null,
  revoked_at timestamptz,
  revoked_by_person_id bigint references persons (id),
  reminder_sent_at timestamptz,
  constraint mandates_two_people check (beneficiary_person_id <> aidant_person_id),
  constraint mandates_period check (ends_at > starts_at)
);
create index mandates_beneficiary on mandates (beneficiary_person_id);
create index mandates_aidant on mandates (aidant_person_id);
create index mandates_open on mandates (ends_at) where revoked_at is null and reminder_sent_at is null;

create table notifications (
  id bigint generated always as identity primary key,
  person_id bigint not null references persons (id),
  kind text not null check (length(kind) between 1 and 60),
  subject text not null check (length(subject) between 1 and 200),
  body text not null check (length(body) between 1 and 4000),
  -- The same event notifies once, however often the job that finds it runs.
  event_key text not null unique check (length(event_key) between 1 and 200),
  created_at timestamptz not null default now(),
  read_at timestamptz
);
create index notifications_person on notifications (person_id, created_at desc);

create table person_external_identities (
  id bigint generated always as identity primary key,
  person_id bigint not null references persons (id),
  provider_id text not null check (length(provider_id) between 1 and 40),
  issuer text not null check (length(issuer) between 1 and 500),
  subject text not null check (length(subject) between 1 and 255),
  created_at timestamptz not null default now(),
  unique (issuer, subject)
);

-- The state of an OpenID Connect login between the redirect and the callback.
create table oidc_transactions (
  state text primary key check (length(state) between 16 and 128),
  provider_id text not null check (length(provider_id) between 1 and 40),
  code_verifier text not null check (length(code_verifier) between 43 and 128),
  nonce text not null check (length(nonce) between 16 and 128),
  return_to text not null check (length(return_to) between 1 and 500),
  created_at timestamptz not null default now(),
  expires_at timestamptz not null
);

-- The audit journal: append-only, each entry hashed with the one before it.
create table audit_journal (
  id bigint primary key,
  occurred_at timestamptz not null,
  actor_type text not null check (actor_type in ('personne', 'cle_api', 'operateur', 'systeme')),
  actor_person_id bigint,
  actor_api_key_id bigint,
  on_behalf_of_person_id bigint,
  organisation_id bigint,
  action text not null check (length(action) between 1 and 80),
  target_type text not null check (length(target_type) between 1 and 60),
  target_id text not null check (length(target_id) between 1 and 100),
  before_summary jsonb,
  after_summary jsonb,
  request_id text check (length(request_id) <= 100),
  previous_hash bytea not null check (length(previous_hash) = 32),
  entry_hash bytea not null check (length(entry_hash) = 32)
);
create sequence audit_journal_sequence as bigint;
create index audit_journal_actor on audit_journal (actor_person_id, id);
create index audit_journal_target on audit_journal (target_type, target_id, id);
create index audit_journal_organisation on audit_journal (organisation_id, id);
create index audit_journal_time on audit_journal (occurred_at);

create trigger audit_journal_append_only before update or delete or truncate on audit_journal
  for each statement execute function ledger_refuse_history_change();

create table audit_chain_head (
  singleton boolean primary key default true check (singleton),
  last_id bigint not null,
  last_hash bytea not null check (length(last_hash) = 32)
);
insert into audit_chain_head (last_id, last_hash) values (0, '\x0000000000000000000000000000000000000000000000000000000000000000');
create trigger audit_chain_head_no_delete before delete or truncate on audit_chain_head
  for each statement execute function ledger_refuse_history_change();

-- The one definition of an entry's hash: its fields as a JSON array (unambiguous, nulls
-- included), after the previous hash. `flechage verify` recomputes it for every row.
create function audit_entry_hash(previous bytea, entry audit_journal) returns bytea
language sql immutable as $$
  select sha256(previous || convert_to(jsonb_build_array(
    entry.id, (extract(epoch from entry.occurred_at) * 1000000)::bigint, entry.actor_type,
    entry.actor_person_id, entry.actor_api_key_id, entry.on_behalf_of_person_id,
    entry.organisation_id, entry.action, entry.target_type, entry.target_id,
    entry.before_summary, entry.after_summary, entry.request_id)::text, 'UTF8'))
$$;

-- Appends under the head's row lock, so entries chain in the order their transactions commit.
create function audit_append(entry_fields jsonb) returns bigint language plpgsql as $$
declare
  head audit_chain_head;
  entry audit_journal;
begin
  select * into head from audit_chain_head where singleton for update;
  entry := jsonb_populate_record(null::audit_journal, entry_fields);
  entry.id := nextval('audit_journal_sequence');
  entry.occurred_at := now();
  entry.previous_hash := head.last_hash;
  entry.entry_hash := audit_entry_hash(head.last_hash, entry);
  insert into audit_journal select entry.*;
  update audit_chain_head set last_id = entry.id, last_hash = entry.entry_hash where singleton;
  return entry.id;
end $$;
