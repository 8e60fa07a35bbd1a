-- Organisations: funders and their services, merchants, beneficiary organisations, operator.
-- SIREN and SIRET keys (Luhn) are checked by the application; the database keeps their shape.
create table organisations (
  id bigint generated always as identity primary key,
  kind text not null check (kind in (
    'etat', 'region', 'departement', 'commune', 'epci', 'caisse_allocations_familiales',
    'caisse_retraite', 'mutuelle', 'union_europeenne', 'cofinanceur_prive', 'service',
    'commercant', 'association', 'entreprise', 'collectivite', 'operateur')),
  name text not null check (length(name) between 1 and 200),
  siren char(9) check (siren ~ '^[0-9]{9}$'),
  siret char(14) unique check (siret ~ '^[0-9]{14}$'),
  parent_id bigint references organisations (id),
  created_at timestamptz not null default now(),
  constraint organisations_siret_in_siren check (siret is null or left(siret, 9) = siren),
  constraint organisations_only_services_have_parents check ((kind = 'service') = (parent_id is not null))
);
create index organisations_parent on organisations (parent_id) where parent_id is not null;
