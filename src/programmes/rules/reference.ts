import {
  CATEGORY_GROUPS,
  categoryGroupLabel,
  groupsOfMerchant,
  isKnownMcc,
  isKnownNaf,
  type CategoryGroup,
} from '../../reference/merchant-categories.js';
import { findCommune, isKnownZone, zoneName } from '../../reference/zones.js';
import type { RuleReference } from './schema.js';

// The platform's reference data (territories from Etalab, merchant categories) seen through
// the narrow interface the engine needs. One instance per process: the engine memoises
// lookups per compiled version, the reference modules load their files once.

const KNOWN_GROUPS: ReadonlySet<string> = new Set(CATEGORY_GROUPS);

function isCategoryGroup(group: string): group is CategoryGroup {
  return KNOWN_GROUPS.has(group);
}

let platformReference: RuleReference | undefined;

export function platformRuleReference(): RuleReference {
  platformReference ??= {
    findCommune: (code) => findCommune(code),
    isKnownZone: (kind, code) => isKnownZone(kind, code),
    zoneName: (kind, code) => zoneName(kind, code),
    isKnownMcc: (code) => isKnownMcc(code),
    isKnownNaf: (code) => isKnownNaf(code),
    isKnownGroup: (group) => isCategoryGroup(group),
    groupLabel: (group) => (isCategoryGroup(group) ? categoryGroupLabel(group) : undefined),
    groupsOfMerchant: (merchant) => groupsOfMerchant(merchant),
  };
  return platformReference;
}
