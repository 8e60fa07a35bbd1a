import { fr } from '@codegouvfr/react-dsfr';
import { Badge } from '@codegouvfr/react-dsfr/Badge.js';
import { attributionStatusSeverities, capitalised } from '../../campaigns/format.js';
import type { Envelope } from '../../campaigns/types.js';
import { formatDate } from '../../identity/format.js';
import { formatCents } from '../../programmes/money.js';

// The parts of an envelope a beneficiary reads, on the wallet's cards and on the envelope's page.

export function EnvelopeStatus({ envelope }: { envelope: Envelope }) {
  return (
    <Badge as="span" small severity={attributionStatusSeverities[envelope.status]}>
      {capitalised(envelope.statusLabel)}
    </Badge>
  );
}

export function remainingSentence(envelope: Envelope): string {
  return `${formatCents(envelope.remainingCents)} disponibles sur ${formatCents(envelope.creditedCents)}`;
}

export function validitySentence(envelope: Envelope): string {
  if (envelope.status === 'expired') return 'Période de validité terminée';
  return envelope.validUntil === null
    ? 'Sans date de fin'
    : `Valable jusqu’au ${formatDate(envelope.validUntil)}`;
}

/** « Où l’utiliser ? »: each usage rule in a sentence (the places among them), then the merchants. */
export function UsageList({ envelope }: { envelope: Envelope }) {
  return (
    <ul className={`envelope-usage ${fr.cx('fr-mb-0')}`}>
      {envelope.usage.sentences.map((sentence, index) => (
        <li key={index}>{sentence}</li>
      ))}
      {envelope.merchants.map((merchant) => (
        <li key={`commercant-${merchant.id}`}>
          {merchant.communeName === null
            ? merchant.name
            : `${merchant.name}, ${merchant.communeName}`}
        </li>
      ))}
    </ul>
  );
}

/** « Pourquoi cette aide ? »: the decision, condition by condition, as the rules took it. */
export function ExplanationList({ envelope }: { envelope: Envelope }) {
  return (
    <ol className="explanation-sentences">
      {envelope.explanation.map((sentence, index) => (
        <li key={index}>{sentence}</li>
      ))}
    </ol>
  );
}
