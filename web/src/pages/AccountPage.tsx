import { useState } from 'react';
import { fr } from '@codegouvfr/react-dsfr';
import { Breadcrumb } from '@codegouvfr/react-dsfr/Breadcrumb.js';
import { isFunderStaff } from '../identity/roles.js';
import { RequireSession } from '../identity/session.js';
import type { AuthenticatedSession } from '../identity/types.js';
import { NotificationsSection } from './account/NotificationsSection.js';
import { PasswordSection } from './account/PasswordSection.js';
import { ProfileSection } from './account/ProfileSection.js';
import { SessionsSection } from './account/SessionsSection.js';
import { TotpSection } from './account/TotpSection.js';
import { backOfficeHomePageTitle } from './BackOfficeHomePage.js';

export const accountPageTitle = 'Mon compte';

function Account({ session }: { session: AuthenticatedSession }) {
  // A new password closes the other sessions: the list must then be fetched again.
  const [sessionsVersion, setSessionsVersion] = useState(0);
  return (
    <div className={fr.cx('fr-container', 'fr-pb-8w')}>
      <Breadcrumb
        currentPageLabel={accountPageTitle}
        homeLinkProps={{ href: '/' }}
        segments={[{ label: backOfficeHomePageTitle, linkProps: { href: '/espace' } }]}
      />
      <h1>{accountPageTitle}</h1>
      <p className={fr.cx('fr-text--lead', 'fr-mb-6w')}>
        {session.person.displayName} ({session.person.email})
      </p>
      {/* Everyone's own name and phone; an aidant acting for someone edits theirs instead. */}
      <ProfileSection />
      <PasswordSection onChanged={() => setSessionsVersion((version) => version + 1)} />
      <SessionsSection version={sessionsVersion} />
      {isFunderStaff(session.memberships) && (
        <TotpSection totpEnabled={session.person.totpEnabled} />
      )}
      <NotificationsSection />
    </div>
  );
}

export function AccountPage() {
  return <RequireSession>{(session) => <Account session={session} />}</RequireSession>;
}
