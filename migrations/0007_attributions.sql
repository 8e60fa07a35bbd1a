-- Attributions (an amount of a programme for one beneficiary) and the campaigns that propose
-- them by the thousand. A credited attribution is an envelope: its own ledger account, paid
-- from the programme reserve. Explanations are not stored: the rule version, the facts and the
-- reference date are, and rules are immutable, so the explanation is recomputed exactly.

-- What a funder decides for its own organisation: above this total, a campaign needs a second
-- approver (four-eyes).
create table funder_settings (
  organisation_id bigint primary key references organisations (id),
  four_eyes_threshold_cents bigint not null check (four_eyes_threshold_cents between 0 and 10000000000000),
  updated_at timestamptz not null default now(),
  updated_by_person_id bigint references persons (id)
);

create table campaigns (
  id bigint generated always as identity primary key,
  organisation_id bigint not null references organisations (id),
  programme_id bigint not null references programmes (id),
  rule_version integer not null,
  name text not null check (length(name) between 1 and 200),
  population jsonb not null check (pg_column_size(population) <= 16384),
  reference_date date not null,
  status text not null check (status in (
    'simulating', 'simulated', 'awaiting_second_approval', 'approved', 'crediting',
    'completed', 'stopped', 'cancelled', 'failed')),
  -- Counts and amounts of the simulation, by commune, as shown for approval.
  simulation jsonb check (pg_column_size(simulation) <= 1048576),
  examined_count integer not null default 0 check (examined_count >= 0),
  eligible_count integer not null default 0 check (eligible_count >= 0),
  already_attributed_count integer not null default 0 check (already_attributed_count >= 0),
  total_cents bigint not null default 0 check (total_cents >= 0),
  four_eyes_threshold_cents bigint not null check (four_eyes_threshold_cents >= 0),
  -- Each contributor's share of the programme reserve when crediting started: every envelope
  -- is split in these proportions, so that unused money goes back to whom it came from.
  funding_weights jsonb,
  created_by_person_id bigint references persons (id),
  first_approved_by_person_id bigint references persons (id),
  first_approved_at timestamptz,
  second_approved_by_person_id bigint references persons (id),
  second_approved_at timestamptz,
  credited_count integer not null default 0 check (credited_count >= 0),
  credited_cents bigint not null default 0 check (credited_cents >= 0),
  lots_total integer not null default 0 check (lots_total >= 0),
  lots_done integer not null default 0 check (lots_done >= 0),
  stop_reason text check (length(stop_reason) <= 500),
  failure text check (length(failure) <= 500),
  created_at timestamptz not null default now(),
  started_at timestamptz,
  finished_at timestamptz,
  constraint campaigns_programme_version foreign key (programme_id, rule_version)
    references programme_rule_versions (programme_id, version),
  constraint campaigns_four_eyes check (
    second_approved_by_person_id is null or second_approved_by_person_id <> first_approved_by_person_id),
  constraint campaigns_credited_within_total check (credited_cents <= total_cents)
);
create index campaigns_organisation on campaigns (organisation_id, id);
create index campaigns_programme on campaigns (programme_id, id);

-- No foreign keys: a campaign inserts a million rows, and each key costs a trigger call per
-- row (the ledger measured a third of its write path). What they would guard cannot happen:
-- beneficiaries, campaigns and rule versions are never deleted (rule versions are append-only
-- by trigger, erased beneficiaries keep their row), and every row is written from a campaign,
-- an application or a decision that read them first.
create table attributions (
  id bigint generated always as identity primary key,
  organisation_id bigint not null,
  programme_id bigint not null,
  rule_version integer not null,
  beneficiary_id bigint not null,
  campaign_id bigint,
  -- Order within the campaign: crediting goes lot by lot in this order.
  campaign_position integer check (campaign_position >= 0),
  application_id bigint,
  amount_cents bigint not null check (amount_cents between 1 and 10000000000000),
  status text not null check (status in ('proposed', 'approved', 'credited', 'suspended', 'revoked', 'expired')),
  facts jsonb not null check (pg_column_size(facts) <= 8192),
  reference_date date not null,
  envelope_account_id bigint unique,
  -- Contributor id → cents of this envelope that came from that contributor.
  funding jsonb,
  credited_at timestamptz,
  valid_until timestamptz,
  status_changed_at timestamptz not null default now(),
  created_at timestamptz not null default now(),
  constraint attributions_campaign_position unique (campaign_id, campaign_position),
  constraint attributions_campaign_has_position check ((campaign_id is null) = (campaign_position is null)),
  constraint attributions_credited_has_envelope check (
    status not in ('credited', 'suspended', 'expired')
    or (envelope_account_id is not null and credited_at is not null and funding is not null))
);
-- Nothing attributed twice: one live attribution per programme and beneficiary.
create unique index attributions_one_live on attributions (programme_id, beneficiary_id)
  where status in ('proposed', 'approved', 'credited', 'suspended');
create index attributions_beneficiary on attributions (beneficiary_id, id);
create index attributions_valid_until on attributions (valid_until) where status = 'credited';

-- Who changed an attribution, when and why. Campaign attributions are proposed, approved and
-- credited by their campaign, whose row records who and when: events are written here for
-- individual changes, so that a campaign of a million does not write three million rows.
create table attribution_events (
  id bigint generated always as identity primary key,
  attribution_id bigint not null references attributions (id),
  from_status text,
  to_status text not null,
  reason text not null check (length(reason) between 1 and 1000),
  person_id bigint references persons (id),
  occurred_at timestamptz not null default now()
);
create index attribution_events_attribution on attribution_events (attribution_id, id);
create trigger attribution_events_append_only before update or delete or truncate on attribution_events
  for each statement execute function ledger_refuse_history_change();

-- The ledger request of each lot, written before it is submitted: a campaign resumed after a
-- crash submits exactly the same requests again, which the ledger's idempotency makes harmless.
create table campaign_lots (
  campaign_id bigint not null references campaigns (id),
  lot integer not null check (lot >= 0),
  client_id text not null unique check (length(client_id) between 1 and 128),
  request jsonb not null,
  attribution_ids bigint[] not null check (cardinality(attribution_ids) between 1 and 64),
  -- The highest campaign position in the lot: a resumed run takes proposals after it.
  last_position integer not null check (last_position >= 0),
  -- Per attribution, in the order of attribution_ids: contributor id → cents.
  fundings jsonb not null,
  status text not null check (status in ('pending', 'credited', 'refused')),
  primary key (campaign_id, lot)
);
