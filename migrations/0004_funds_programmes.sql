-- Funds, their contributors and axes, and the programmes (dispositifs) with versioned rules.
-- The money itself lives in the ledger: every fund contributor has a commitment account (what
-- it promised and has not paid), a budget account (paid, not on an axis), one account per axis
-- and one reserve per programme. Keeping each contributor's euros on accounts of their own at
-- every level is what lets unused money go back exactly to whom it came from.

create table funds (
  id bigint generated always as identity primary key,
  organisation_id bigint not null references organisations (id),
  name text not null check (length(name) between 1 and 200),
  starts_on date not null,
  ends_on date not null,
  created_at timestamptz not null default now(),
  constraint funds_period check (ends_on >= starts_on)
);
create index funds_organisation on funds (organisation_id);

create table fund_contributors (
  id bigint generated always as identity primary key,
  fund_id bigint not null references funds (id),
  organisation_id bigint not null references organisations (id),
  committed_cents bigint not null check (committed_cents > 0),
  external_account_id bigint not null,
  commitment_account_id bigint not null unique,
  budget_account_id bigint not null unique,
  unique (fund_id, organisation_id)
);
create index fund_contributors_organisation on fund_contributors (organisation_id);

create table fund_axes (
  id bigint generated always as identity primary key,
  fund_id bigint not null references funds (id),
  name text not null check (length(name) between 1 and 200),
  budget_cents bigint not null check (budget_cents > 0),
  unique (fund_id, name)
);

create table fund_axis_accounts (
  axis_id bigint not null references fund_axes (id),
  contributor_id bigint not null references fund_contributors (id),
  account_id bigint not null unique,
  primary key (axis_id, contributor_id)
);

create table programmes (
  id bigint generated always as identity primary key,
  fund_id bigint not null references funds (id),
  axis_id bigint not null references fund_axes (id),
  organisation_id bigint not null references organisations (id),
  name text not null check (length(name) between 1 and 200),
  description text not null check (length(description) <= 4000),
  template_id text check (length(template_id) <= 60),
  published_version integer,
  created_at timestamptz not null default now()
);
create index programmes_organisation on programmes (organisation_id);
create index programmes_fund on programmes (fund_id);

create table programme_reserve_accounts (
  programme_id bigint not null references programmes (id),
  contributor_id bigint not null references fund_contributors (id),
  account_id bigint not null unique,
  primary key (programme_id, contributor_id)
);

-- A rule version is never changed: editing the rules writes the next version, and whatever was
-- decided under a version keeps pointing at it.
create table programme_rule_versions (
  programme_id bigint not null references programmes (id),
  version integer not null check (version >= 1),
  rules jsonb not null,
  created_by_person_id bigint references persons (id),
  created_at timestamptz not null default now(),
  primary key (programme_id, version)
);
create trigger programme_rule_versions_append_only
  before update or delete or truncate on programme_rule_versions
  for each statement execute function ledger_refuse_history_change();

alter table programmes add constraint programmes_published_version_exists
  foreign key (id, published_version) references programme_rule_versions (programme_id, version)
  deferrable initially deferred;

-- What was put on each axis, one row per request (its idempotency key): the axis budget is a
-- ceiling checked under the axis row's lock, the money itself moves in the ledger.
create table fund_allocations (
  client_id text primary key check (length(client_id) between 1 and 128),
  fund_id bigint not null references funds (id),
  axis_id bigint not null references fund_axes (id),
  amount_cents bigint not null check (amount_cents > 0),
  created_at timestamptz not null default now()
);
create index fund_allocations_axis on fund_allocations (axis_id);
