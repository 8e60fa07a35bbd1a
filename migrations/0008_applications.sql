-- Individual applications: a person (or an aidant for them) applies to a programme, answers the
-- questions its rules need, attaches documents; a case worker decides with a reason.

create table applications (
  id bigint generated always as identity primary key,
  organisation_id bigint not null references organisations (id),
  programme_id bigint not null references programmes (id),
  rule_version integer not null,
  -- The beneficiary record the application created or found at the funder.
  beneficiary_id bigint not null references beneficiaries (id),
  applicant_person_id bigint not null references persons (id),
  -- The aidant who filled it in under a mandate, if any.
  submitted_by_person_id bigint not null references persons (id),
  answers jsonb not null check (pg_column_size(answers) <= 16384),
  -- The facts the answers give and the day they were evaluated on: with the immutable rule
  -- version, the explanation is recomputed exactly, so it is not stored.
  facts jsonb not null check (pg_column_size(facts) <= 8192),
  reference_date date not null,
  eligible boolean not null,
  evaluated_amount_cents bigint not null check (evaluated_amount_cents between 0 and 100000000000),
  decided_amount_cents bigint check (decided_amount_cents between 1 and 100000000000),
  status text not null check (status in (
    'submitted', 'information_requested', 'accepted', 'refused', 'withdrawn')),
  decision_reason text check (length(decision_reason) <= 2000),
  decided_by_person_id bigint references persons (id),
  decided_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint applications_programme_version foreign key (programme_id, rule_version)
    references programme_rule_versions (programme_id, version),
  constraint applications_decision_has_reason check (
    status not in ('accepted', 'refused') or (decision_reason is not null and decided_at is not null)),
  constraint applications_accepted_has_amount check (
    (status = 'accepted') = (decided_amount_cents is not null))
);
create index applications_organisation on applications (organisation_id, status, id);
create index applications_applicant on applications (applicant_person_id, id);
create unique index applications_one_open on applications (programme_id, applicant_person_id)
  where status in ('submitted', 'information_requested');

-- No foreign key from attributions (see 0007): an application is never deleted, and the
-- attribution is written by the decision that read it.
create unique index attributions_one_per_application on attributions (application_id)
  where application_id is not null;

create table application_documents (
  id bigint generated always as identity primary key,
  application_id bigint not null references applications (id),
  file_name text not null check (length(file_name) between 1 and 200),
  media_type text not null check (media_type in ('application/pdf', 'image/png', 'image/jpeg')),
  size_bytes integer not null check (size_bytes between 1 and 5242880),
  sha256 bytea not null check (length(sha256) = 32),
  content bytea not null,
  uploaded_by_person_id bigint not null references persons (id),
  created_at timestamptz not null default now()
);
create index application_documents_application on application_documents (application_id);

-- The exchange between case worker and applicant: requests for information and answers.
create table application_messages (
  id bigint generated always as identity primary key,
  application_id bigint not null references applications (id),
  author_person_id bigint not null references persons (id),
  author_side text not null check (author_side in ('instruction', 'demandeur')),
  body text not null check (length(body) between 1 and 4000),
  created_at timestamptz not null default now()
);
create index application_messages_application on application_messages (application_id, id);

-- Every change of status, with who and why: what the case worker and the applicant read as the
-- history of the application. Append-only, like the journal.
create table application_events (
  id bigint generated always as identity primary key,
  application_id bigint not null references applications (id),
  from_status text,
  to_status text not null,
  reason text check (length(reason) <= 2000),
  person_id bigint references persons (id),
  occurred_at timestamptz not null default now()
);
create index application_events_application on application_events (application_id, id);
create trigger application_events_append_only before update or delete or truncate on application_events
  for each statement execute function ledger_refuse_history_change();
