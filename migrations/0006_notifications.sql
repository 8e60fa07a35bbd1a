-- The notifications outbox: written in the same transaction as the event it announces, then
-- delivered by a worker with retries. One row per (event, channel): the same event never
-- reaches the same person twice on the same channel.

create table notification_outbox (
  id bigint generated always as identity primary key,
  -- Who it is for: a person's account, or a beneficiary record not yet linked to one.
  person_id bigint references persons (id),
  beneficiary_id bigint references beneficiaries (id),
  channel text not null check (channel in ('email', 'sms', 'in_app')),
  address text check (length(address) between 3 and 254),
  template text not null check (length(template) between 1 and 60),
  -- Names the event: 'attribution:123:credited', 'envelope:123:expiring:30'.
  event_key text not null check (length(event_key) between 1 and 200),
  payload jsonb not null default '{}'::jsonb check (pg_column_size(payload) <= 16384),
  status text not null default 'pending' check (status in ('pending', 'sent', 'failed')),
  attempts integer not null default 0 check (attempts between 0 and 100),
  next_attempt_at timestamptz not null default now(),
  -- A worker owns a row until this instant; a worker that dies mid-delivery loses it after.
  leased_until timestamptz,
  last_error text check (length(last_error) <= 500),
  created_at timestamptz not null default now(),
  sent_at timestamptz,
  unique (event_key, channel),
  constraint notification_outbox_recipient check (person_id is not null or beneficiary_id is not null),
  constraint notification_outbox_address check ((channel = 'in_app') = (address is null))
);
create index notification_outbox_due on notification_outbox (next_attempt_at) where status = 'pending';
create index notification_outbox_beneficiary on notification_outbox (beneficiary_id, id)
  where beneficiary_id is not null;

-- What the local mail catcher and the fake SMS provider received, for the back-office to show
-- in the embedded default. A real deployment points the channels elsewhere and this stays empty.
create table caught_messages (
  id bigint generated always as identity primary key,
  channel text not null check (channel in ('email', 'sms')),
  -- The outbox row, as the message carried it: a message delivered twice is caught once.
  outbox_id bigint unique,
  recipient text not null check (length(recipient) between 1 and 254),
  subject text check (length(subject) <= 300),
  body text not null check (length(body) <= 100000),
  received_at timestamptz not null default now()
);
create index caught_messages_recipient on caught_messages (recipient, id);
