import { zoneLabel } from './conditions.js';
import { formatCents, formatDateFrench, joinFrench } from './format.js';
import type { MerchantZone, RuleReference, UsageRules } from './schema.js';

// "Where can I use this?": the usage rules of an envelope in sentences a beneficiary reads in
// their space, one per rule that limits them, in the order they matter at the till.

const WEEKDAY_NAMES = ['lundi', 'mardi', 'mercredi', 'jeudi', 'vendredi', 'samedi', 'dimanche'];

function placeLabel(zone: MerchantZone, reference: RuleReference): string {
  if (zone.kind === 'radius') {
    return `à moins de ${zone.radiusKilometres} km ${zone.label === undefined ? 'du point désigné' : `de ${zone.label}`}`;
  }
  return zoneLabel(zone, reference);
}

function categorySentence(usage: UsageRules, reference: RuleReference): string {
  const groups = (usage.categories?.groups ?? []).map(
    (group) => reference.groupLabel(group) ?? group,
  );
  const codes = [...(usage.categories?.mcc ?? []), ...(usage.categories?.naf ?? [])].length;
  if (groups.length === 0 && codes === 0 && (usage.merchantIds ?? []).length === 0) {
    return 'Utilisable chez tous les commerçants acceptant le dispositif.';
  }
  const parts = groups.map((label) => label.toLowerCase());
  if (codes > 0) parts.push(`${codes} autres activités désignées par leur code`);
  if ((usage.merchantIds ?? []).length > 0) parts.push('les commerçants conventionnés désignés');
  return `Utilisable pour : ${joinFrench(parts, 'et')}.`;
}

function validitySentence(usage: UsageRules): string | undefined {
  const validity = usage.validity;
  if (validity === undefined) return undefined;
  const parts: string[] = [];
  if (validity.fromDate !== undefined)
    parts.push(`à partir du ${formatDateFrench(validity.fromDate)}`);
  if (validity.untilDate !== undefined)
    parts.push(`jusqu’au ${formatDateFrench(validity.untilDate)} inclus`);
  if (validity.afterCrediting !== undefined) {
    const { count, unit } = validity.afterCrediting;
    parts.push(`pendant ${count} ${unit === 'days' ? 'jours' : 'mois'} après le crédit`);
  }
  return parts.length === 0 ? undefined : `Valable ${parts.join(', ')}.`;
}

function capSentences(usage: UsageRules, reference: RuleReference): string[] {
  const sentences: string[] = [];
  const caps = usage.caps ?? {};
  const periods: [number | undefined, string][] = [
    [caps.dailyCents, 'par jour'],
    [caps.weeklyCents, 'par semaine'],
    [caps.monthlyCents, 'par mois'],
    [caps.lifetimeCents, 'en tout'],
  ];
  for (const [cents, period] of periods) {
    if (cents !== undefined) sentences.push(`Au plus ${formatCents(cents)} ${period}.`);
  }
  for (const cap of usage.groupCaps ?? []) {
    const label = (reference.groupLabel(cap.group) ?? cap.group).toLowerCase();
    sentences.push(`Au plus ${formatCents(cap.maximumCents)} pour : ${label}.`);
  }
  const perPayment = usage.perPayment ?? {};
  if (perPayment.maximumCents !== undefined) {
    sentences.push(`Au plus ${formatCents(perPayment.maximumCents)} par paiement.`);
  }
  if (perPayment.minimumCents !== undefined) {
    sentences.push(`Au moins ${formatCents(perPayment.minimumCents)} par paiement.`);
  }
  return sentences;
}

function timeSentences(usage: UsageRules): string[] {
  const sentences: string[] = [];
  if (usage.weekdays !== undefined && usage.weekdays.length < 7) {
    const days = usage.weekdays.map((day) => WEEKDAY_NAMES[day - 1] ?? String(day));
    sentences.push(`Les jours suivants seulement : ${joinFrench(days, 'et')}.`);
  }
  if (usage.hours !== undefined && usage.hours.length > 0) {
    const windows = usage.hours.map((window) => `de ${window.from} à ${window.until}`);
    sentences.push(`Aux heures suivantes seulement : ${joinFrench(windows, 'ou')}.`);
  }
  return sentences;
}

export type UsageDescription = { places: string[]; sentences: string[] };

export function describeUsage(usage: UsageRules, reference: RuleReference): UsageDescription {
  const places = (usage.zones ?? []).map((zone) => placeLabel(zone, reference));
  const sentences = [categorySentence(usage, reference)];
  sentences.push(
    places.length === 0
      ? 'Utilisable partout en France.'
      : `Utilisable seulement chez les commerçants situés ${joinFrench(places, 'ou')}.`,
  );
  const validity = validitySentence(usage);
  if (validity !== undefined) sentences.push(validity);
  sentences.push(...capSentences(usage, reference), ...timeSentences(usage));
  if (usage.productCategories !== undefined && usage.productCategories.length > 0) {
    const labels = usage.productCategories.map((group) =>
      (reference.groupLabel(group) ?? group).toLowerCase(),
    );
    sentences.push(`Dans un panier, seuls ces produits sont payés : ${joinFrench(labels, 'et')}.`);
  }
  if (usage.maximumShareBasisPoints !== undefined) {
    sentences.push(`Paie au plus ${usage.maximumShareBasisPoints / 100} % de chaque achat.`);
  }
  return { places, sentences };
}
