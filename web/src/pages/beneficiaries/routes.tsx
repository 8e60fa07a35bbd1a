import type { ResolvedPage } from '../../routes.js';
import { BeneficiaryImportPage, beneficiaryImportPageTitle } from '../BeneficiaryImportPage.js';
import { BeneficiaryPage, beneficiaryPageTitle } from '../BeneficiaryPage.js';

/** The beneficiaries' pages whose address carries an id: a record, or an import under way. */
export function beneficiaryPageWithParameter(path: string): ResolvedPage | undefined {
  const record = /^\/beneficiaires\/(\d+)$/.exec(path);
  if (record !== null) {
    const beneficiaryId = Number(record[1]);
    const content = <BeneficiaryPage key={beneficiaryId} beneficiaryId={beneficiaryId} />;
    return { title: beneficiaryPageTitle, content };
  }
  const beneficiaryImport = /^\/beneficiaires\/import\/(\d+)$/.exec(path);
  if (beneficiaryImport !== null) {
    const importId = Number(beneficiaryImport[1]);
    const content = <BeneficiaryImportPage key={importId} importId={importId} />;
    return { title: beneficiaryImportPageTitle, content };
  }
  return undefined;
}
