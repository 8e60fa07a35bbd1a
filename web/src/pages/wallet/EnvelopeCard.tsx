import { fr } from '@codegouvfr/react-dsfr';
import { Accordion } from '@codegouvfr/react-dsfr/Accordion.js';
import { Card } from '@codegouvfr/react-dsfr/Card.js';
import type { Envelope } from '../../campaigns/types.js';
import { formatCents } from '../../programmes/money.js';
import { EnvelopeStatus, ExplanationList, UsageList, validitySentence } from './EnvelopeParts.js';

/** One envelope of the wallet: what is left, until when, where it pays, and why it was given. */
export function EnvelopeCard({ envelope }: { envelope: Envelope }) {
  return (
    <Card
      title={envelope.programmeName}
      titleAs="h3"
      linkProps={{ href: `/mes-aides/${envelope.attributionId}` }}
      start={<EnvelopeStatus envelope={envelope} />}
      detail={`Financé par ${envelope.funderName}`}
      desc={
        <>
          <span className="envelope-remaining">{formatCents(envelope.remainingCents)}</span>
          <br />
          {`disponibles sur ${formatCents(envelope.creditedCents)} — ${validitySentence(envelope)}`}
        </>
      }
      end={
        <>
          <h4 className={fr.cx('fr-h6', 'fr-mt-2w', 'fr-mb-1w')}>Où l’utiliser ?</h4>
          <UsageList envelope={envelope} />
          <Accordion label="Pourquoi cette aide ?" titleAs="h4" className={fr.cx('fr-mt-2w')}>
            <ExplanationList envelope={envelope} />
          </Accordion>
        </>
      }
    />
  );
}
