import type { ResolvedPage } from '../../routes.js';
import { ApplicationsPage, applicationsPageTitle } from '../ApplicationsPage.js';
import { MyApplicationsPage, myApplicationsPageTitle } from '../MyApplicationsPage.js';
import { InstructionPage, instructionPageTitle } from './InstructionPage.js';
import { MyApplicationPage, myApplicationPageTitle } from './MyApplicationPage.js';
import { NewApplicationPage, newApplicationPageTitle } from './NewApplicationPage.js';

/** The applications' pages at a fixed address: the applicant's and the case worker's lists. */
export const applicationFixedPages: [string, () => ResolvedPage][] = [
  ['/mes-demandes', () => ({ title: myApplicationsPageTitle, content: <MyApplicationsPage /> })],
  [
    '/mes-demandes/nouvelle',
    () => ({ title: newApplicationPageTitle, content: <NewApplicationPage /> }),
  ],
  ['/demandes', () => ({ title: applicationsPageTitle, content: <ApplicationsPage /> })],
];

/** One application, by the id in the address: the applicant's view or the case worker's. */
export function applicationPageWithParameter(path: string): ResolvedPage | undefined {
  const mine = /^\/mes-demandes\/(\d+)$/.exec(path);
  if (mine !== null) {
    const applicationId = Number(mine[1]);
    const content = <MyApplicationPage key={applicationId} applicationId={applicationId} />;
    return { title: myApplicationPageTitle, content };
  }
  const instructed = /^\/demandes\/(\d+)$/.exec(path);
  if (instructed !== null) {
    const applicationId = Number(instructed[1]);
    const content = <InstructionPage key={applicationId} applicationId={applicationId} />;
    return { title: instructionPageTitle, content };
  }
  return undefined;
}
