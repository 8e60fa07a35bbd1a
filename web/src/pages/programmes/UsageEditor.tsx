import { fr } from '@codegouvfr/react-dsfr';
import {
  categoryGroupLabels,
  weekdayLabels,
  zoneKindLabels,
  type MerchantZone,
  type UsageRules,
  type Validity,
  labelledChoices,
} from '../../programmes/rules.js';
import {
  AddButton,
  CentsField,
  ChoicesField,
  FieldGroup,
  ListField,
  NumberField,
  PercentField,
  RemoveButton,
  SelectField,
  TextField,
  compact,
  removeAt,
  replaceAt,
  unreadable,
} from './rule-fields.js';

// Usage: where, when and how the money may be spent. Every rule is optional: left empty, it does
// not restrict anything.

type Edit<Value> = { value: Value; onChange: (value: Value) => void };
type UsageEdit = Edit<UsageRules>;

const groups = Object.entries(categoryGroupLabels);
const weekdays = weekdayLabels.map((label, index) => [index + 1, label] as const);
const zoneKinds: [MerchantZone['kind'], string][] = [
  ...labelledChoices(zoneKindLabels),
  ['radius', 'Autour d’un point (rayon)'],
];

const col = (size: 3 | 4 | 6) => fr.cx('fr-col-12', `fr-col-md-${size}`);

function Categories({ value, onChange }: UsageEdit) {
  const categories = value.categories ?? {};
  const set = (changes: Partial<NonNullable<UsageRules['categories']>>) =>
    onChange({ ...value, categories: compact({ ...categories, ...changes }) });
  return (
    <FieldGroup
      path="usage.categories"
      legend="Commerces acceptés"
      hint="Sans catégorie ni commerçant désigné, tous les commerces sont acceptés."
    >
      <ChoicesField
        path="usage.categories.groups"
        label="Catégories de commerces"
        value={categories.groups}
        choices={groups}
        onChange={(next) => set({ groups: next })}
      />
      <div className={fr.cx('fr-grid-row', 'fr-grid-row--gutters')}>
        <div className={col(6)}>
          <ListField
            path="usage.categories.mcc"
            label="Codes MCC (catégorie de la carte)"
            hint="4 chiffres, séparés par des virgules."
            value={categories.mcc}
            onChange={(mcc) => set({ mcc })}
          />
        </div>
        <div className={col(6)}>
          <ListField
            path="usage.categories.naf"
            label="Codes NAF (activité INSEE)"
            hint="Par exemple 47.61Z, séparés par des virgules."
            value={categories.naf}
            onChange={(naf) => set({ naf })}
          />
        </div>
      </div>
      <ListField
        path="usage.merchantIds"
        label="Commerçants désignés (identifiants)"
        hint="Acceptés quelle que soit leur catégorie. Séparés par des virgules."
        value={value.merchantIds}
        onChange={(merchantIds) => onChange({ ...value, merchantIds })}
      />
    </FieldGroup>
  );
}

const radiusFields = [
  ['latitude', 'latitude'],
  ['longitude', 'longitude'],
  ['radiusKilometres', 'rayon (km)'],
] as const;

function ZoneRow({
  index,
  zone,
  onChange,
}: {
  index: number;
  zone: MerchantZone;
  onChange: (zone: MerchantZone) => void;
}) {
  const path = `usage.zones.${index}`;
  const label = `Zone ${index + 1}`;
  return (
    <>
      <div className={col(3)}>
        <SelectField
          path={`${path}.kind`}
          label={`${label} : type`}
          value={zone.kind}
          options={zoneKinds}
          onChange={(kind) =>
            onChange(
              kind === 'radius'
                ? { kind, latitude: 44.8378, longitude: -0.5792, radiusKilometres: 10 }
                : { kind, code: '' },
            )
          }
        />
      </div>
      {zone.kind === 'radius' ? (
        radiusFields.map(([field, fieldLabel]) => (
          <div key={field} className={col(3)}>
            <NumberField
              path={`${path}.${field}`}
              label={`${label} : ${fieldLabel}`}
              integer={false}
              value={zone[field]}
              onChange={(number) => onChange({ ...zone, [field]: number ?? unreadable })}
            />
          </div>
        ))
      ) : (
        <div className={col(6)}>
          <TextField
            path={`${path}.code`}
            label={`${label} : code`}
            value={zone.code}
            onChange={(code) => onChange({ ...zone, code: code ?? '' })}
          />
        </div>
      )}
    </>
  );
}

function Zones({ value, onChange }: UsageEdit) {
  const zones = value.zones ?? [];
  const set = (next: MerchantZone[]) =>
    onChange({ ...value, zones: next.length === 0 ? undefined : next });
  return (
    <FieldGroup
      path="usage.zones"
      legend="Lieux des commerces"
      hint="Sans zone, les commerces de toute la France sont acceptés."
    >
      {zones.map((zone, index) => (
        <div key={index} className={fr.cx('fr-grid-row', 'fr-grid-row--gutters', 'fr-mb-1w')}>
          <ZoneRow
            index={index}
            zone={zone}
            onChange={(next) => set(replaceAt(zones, index, next))}
          />
          <div className={fr.cx('fr-col-12')}>
            <RemoveButton
              onClick={() => set(removeAt(zones, index))}
            >{`Retirer la zone ${index + 1}`}</RemoveButton>
          </div>
        </div>
      ))}
      <AddButton onClick={() => set([...zones, { kind: 'departement', code: '33' }])}>
        Ajouter une zone
      </AddButton>
    </FieldGroup>
  );
}

function ValidityFields({ value, onChange }: UsageEdit) {
  const validity: Validity = value.validity ?? {};
  const after = validity.afterCrediting;
  const set = (changes: Partial<Validity>) =>
    onChange({ ...value, validity: compact({ ...validity, ...changes }) });
  return (
    <FieldGroup
      path="usage.validity"
      legend="Période de validité"
      hint="Des dates fixes, une durée à partir du crédit, ou les deux."
    >
      <div className={fr.cx('fr-grid-row', 'fr-grid-row--gutters')}>
        <div className={col(3)}>
          <TextField
            path="usage.validity.fromDate"
            label="Premier jour"
            type="date"
            value={validity.fromDate}
            onChange={(fromDate) => set({ fromDate })}
          />
        </div>
        <div className={col(3)}>
          <TextField
            path="usage.validity.untilDate"
            label="Dernier jour"
            type="date"
            value={validity.untilDate}
            onChange={(untilDate) => set({ untilDate })}
          />
        </div>
        <div className={col(3)}>
          <NumberField
            path="usage.validity.afterCrediting.count"
            label="Durée après le crédit"
            value={after?.count}
            onChange={(count) =>
              set({
                afterCrediting:
                  count === undefined ? undefined : { unit: after?.unit ?? 'months', count },
              })
            }
          />
        </div>
        <div className={col(3)}>
          <SelectField
            path="usage.validity.afterCrediting.unit"
            label="Unité de la durée"
            value={after?.unit ?? 'months'}
            options={[
              ['months', 'mois'],
              ['days', 'jours'],
            ]}
            onChange={(unit) => set({ afterCrediting: { count: after?.count ?? 1, unit } })}
          />
        </div>
      </div>
    </FieldGroup>
  );
}

function Limits({ value, onChange }: UsageEdit) {
  const perPayment = value.perPayment ?? {};
  const caps = value.caps ?? {};
  const setPayment = (changes: typeof perPayment) =>
    onChange({ ...value, perPayment: compact({ ...perPayment, ...changes }) });
  const setCaps = (changes: typeof caps) =>
    onChange({ ...value, caps: compact({ ...caps, ...changes }) });
  const capFields = [
    ['dailyCents', 'Par jour'],
    ['weeklyCents', 'Par semaine'],
    ['monthlyCents', 'Par mois'],
    ['lifetimeCents', 'En tout'],
  ] as const;
  return (
    <FieldGroup path="usage.limites" legend="Montants par paiement et plafonds de dépense">
      <div className={fr.cx('fr-grid-row', 'fr-grid-row--gutters')}>
        <div className={col(6)}>
          <CentsField
            path="usage.perPayment.minimumCents"
            label="Paiement minimum"
            value={perPayment.minimumCents}
            onChange={(minimumCents) => setPayment({ minimumCents })}
          />
        </div>
        <div className={col(6)}>
          <CentsField
            path="usage.perPayment.maximumCents"
            label="Paiement maximum"
            value={perPayment.maximumCents}
            onChange={(maximumCents) => setPayment({ maximumCents })}
          />
        </div>
        {capFields.map(([field, label]) => (
          <div key={field} className={col(3)}>
            <CentsField
              path={`usage.caps.${field}`}
              label={`Plafond ${label.toLowerCase()}`}
              value={caps[field]}
              onChange={(cents) => setCaps({ [field]: cents })}
            />
          </div>
        ))}
        <div className={col(6)}>
          <PercentField
            path="usage.maximumShareBasisPoints"
            label="Part maximale de chaque achat payée par l’aide"
            value={value.maximumShareBasisPoints}
            onChange={(share) => onChange({ ...value, maximumShareBasisPoints: share })}
          />
        </div>
      </div>
    </FieldGroup>
  );
}

function GroupCaps({ value, onChange }: UsageEdit) {
  const rows = value.groupCaps ?? [];
  const set = (next: typeof rows) =>
    onChange({ ...value, groupCaps: next.length === 0 ? undefined : next });
  return (
    <FieldGroup
      path="usage.groupCaps"
      legend="Plafonds par catégorie"
      hint="Par exemple 100 € au plus pour les biens numériques."
    >
      {rows.map((row, index) => (
        <div key={index} className={fr.cx('fr-grid-row', 'fr-grid-row--gutters')}>
          <div className={col(4)}>
            <SelectField
              path={`usage.groupCaps.${index}.group`}
              label={`Plafond ${index + 1} : catégorie`}
              value={row.group}
              options={groups}
              onChange={(group) => set(replaceAt(rows, index, { ...row, group }))}
            />
          </div>
          <div className={col(4)}>
            <CentsField
              path={`usage.groupCaps.${index}.maximumCents`}
              label={`Plafond ${index + 1} : montant`}
              value={row.maximumCents}
              onChange={(cents) =>
                set(replaceAt(rows, index, { ...row, maximumCents: cents ?? unreadable }))
              }
            />
          </div>
          <div className={col(4)}>
            <RemoveButton
              onClick={() => set(removeAt(rows, index))}
            >{`Retirer le plafond ${index + 1}`}</RemoveButton>
          </div>
        </div>
      ))}
      <AddButton onClick={() => set([...rows, { group: 'culture', maximumCents: 100_00 }])}>
        Ajouter un plafond par catégorie
      </AddButton>
    </FieldGroup>
  );
}

function Schedule({ value, onChange }: UsageEdit) {
  const hours = value.hours ?? [];
  const setHours = (next: typeof hours) =>
    onChange({ ...value, hours: next.length === 0 ? undefined : next });
  return (
    <FieldGroup path="usage.horaires" legend="Jours et heures">
      <ChoicesField
        path="usage.weekdays"
        label="Jours où l’aide est acceptée"
        hint="Aucun jour coché : tous les jours."
        value={value.weekdays}
        choices={weekdays}
        onChange={(next) => onChange({ ...value, weekdays: next })}
      />
      <FieldGroup
        path="usage.hours"
        legend="Plages horaires"
        hint="Heure de Paris, au format HH:MM ; sans plage, à toute heure."
      >
        {hours.map((window, index) => (
          <div key={index} className={fr.cx('fr-grid-row', 'fr-grid-row--gutters')}>
            <div className={col(4)}>
              <TextField
                path={`usage.hours.${index}.from`}
                label={`Plage ${index + 1} : de`}
                value={window.from}
                onChange={(from) =>
                  setHours(replaceAt(hours, index, { ...window, from: from ?? '' }))
                }
              />
            </div>
            <div className={col(4)}>
              <TextField
                path={`usage.hours.${index}.until`}
                label={`Plage ${index + 1} : jusqu’à (exclu)`}
                value={window.until}
                onChange={(until) =>
                  setHours(replaceAt(hours, index, { ...window, until: until ?? '' }))
                }
              />
            </div>
            <div className={col(4)}>
              <RemoveButton
                onClick={() => setHours(removeAt(hours, index))}
              >{`Retirer la plage ${index + 1}`}</RemoveButton>
            </div>
          </div>
        ))}
        <AddButton onClick={() => setHours([...hours, { from: '08:00', until: '20:00' }])}>
          Ajouter une plage horaire
        </AddButton>
      </FieldGroup>
    </FieldGroup>
  );
}

export function UsageEditor({ value, onChange }: UsageEdit) {
  return (
    <>
      <Categories value={value} onChange={onChange} />
      <Zones value={value} onChange={onChange} />
      <ValidityFields value={value} onChange={onChange} />
      <Limits value={value} onChange={onChange} />
      <GroupCaps value={value} onChange={onChange} />
      <Schedule value={value} onChange={onChange} />
      <ChoicesField
        path="usage.productCategories"
        label="Produits que l’aide peut payer (lignes du panier)"
        hint="Aucune case cochée : tous les produits du commerce."
        value={value.productCategories}
        choices={groups}
        onChange={(productCategories) => onChange({ ...value, productCategories })}
      />
    </>
  );
}
